"""ServerApp: federated averaging over all connected SuperNodes."""

from flwr.app import ArrayRecord, Context
from flwr.serverapp import Grid, ServerApp
from flwr.serverapp.strategy import FedAvg

from flapp.task import initial_parameters

app = ServerApp()


@app.main()
def main(grid: Grid, context: Context) -> None:
    num_rounds = int(context.run_config["num-server-rounds"])
    # Each round waits for this many SuperNodes (set it to the number of sites).
    nodes = int(context.run_config["min-nodes"])
    strategy = FedAvg(min_train_nodes=nodes, min_evaluate_nodes=nodes, min_available_nodes=nodes)
    result = strategy.start(
        grid=grid,
        initial_arrays=ArrayRecord(initial_parameters()),
        num_rounds=num_rounds,
    )
    weights = result.arrays.to_numpy_ndarrays()
    print(f"final weights {weights[0].round(3).tolist()} bias {weights[1].round(3).tolist()}")
