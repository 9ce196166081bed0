"""ClientApp: trains and evaluates on the site's own partition."""

from flwr.app import ArrayRecord, Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp

from flapp.task import load_partition, mse, train

app = ClientApp()


def _partition(context: Context):
    # Set per SuperNode by the generated Deployment (--node-config).
    partition_id = int(context.node_config.get("partition-id", 0))
    num_partitions = int(context.node_config.get("num-partitions", 1))
    return load_partition(partition_id, num_partitions)


@app.train()
def train_step(msg: Message, context: Context) -> Message:
    x, y = _partition(context)
    params = msg.content["arrays"].to_numpy_ndarrays()
    lr = float(context.run_config["learning-rate"])
    epochs = int(context.run_config["local-epochs"])
    updated = train(params, x, y, lr, epochs)
    content = RecordDict(
        {
            "arrays": ArrayRecord(updated),
            "metrics": MetricRecord({"train_loss": mse(updated, x, y), "num-examples": len(y)}),
        }
    )
    return Message(content=content, reply_to=msg)


@app.evaluate()
def evaluate_step(msg: Message, context: Context) -> Message:
    x, y = _partition(context)
    params = msg.content["arrays"].to_numpy_ndarrays()
    content = RecordDict({"metrics": MetricRecord({"eval_loss": mse(params, x, y), "num-examples": len(y)})})
    return Message(content=content, reply_to=msg)
