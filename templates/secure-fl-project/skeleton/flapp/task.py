"""Model, data and training for the federated linear regression (numpy only).

Each SuperNode draws its own synthetic partition from a shared ground truth,
so the federation learns the same weights without sharing any data.
"""

import numpy as np

FEATURES = 4
TRUE_WEIGHTS = np.array([2.0, -1.0, 0.5, 3.0])
TRUE_BIAS = 0.7
SAMPLES_PER_PARTITION = 200


def initial_parameters() -> list[np.ndarray]:
    """Weights and bias, all zeros."""
    return [np.zeros(FEATURES), np.zeros(1)]


def load_partition(partition_id: int, num_partitions: int) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic features and noisy targets for one site (deterministic per site)."""
    rng = np.random.default_rng(seed=1000 + partition_id)
    shift = partition_id / max(num_partitions, 1)
    x = rng.normal(loc=shift, scale=1.0, size=(SAMPLES_PER_PARTITION, FEATURES))
    y = x @ TRUE_WEIGHTS + TRUE_BIAS + rng.normal(scale=0.1, size=SAMPLES_PER_PARTITION)
    return x, y


def mse(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
    weights, bias = params
    residual = x @ weights + bias[0] - y
    return float(np.mean(residual**2))


def train(params: list[np.ndarray], x: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> list[np.ndarray]:
    """Full-batch gradient descent on the mean squared error."""
    weights, bias = params[0].copy(), params[1].copy()
    for _ in range(epochs):
        residual = x @ weights + bias[0] - y
        weights -= lr * 2.0 * (x.T @ residual) / len(y)
        bias -= lr * 2.0 * np.mean(residual)
    return [weights, bias]
