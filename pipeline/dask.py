"""``--runner DaskRunner``: the batch pipeline on a dask.distributed cluster.

Beam 2.77's DaskRunner translates Create, ParDo, GroupByKey and Flatten, but as measured here it
sends every output of a multi-output ParDo to each consumer (its bags are keyed by transform, not
by PCollection), drops what ``finish_bundle`` emits (BatchElements' last batch, iobase.Write's
file results), computes only the branch that ends in the last transform applied, keeps the
partitions of the first Create through every GroupByKey (one partition: one worker does all the
work), evaluates side inputs by recomputing their upstream inside a task, and has no metrics.

This runner keeps Beam's Dask options, overrides and result, and translates the graph itself:
one Dask bag per PCollection (a multi-output ParDo's bag holds ``(tag, value)`` pairs), a fresh
DoFn per partition whose ``finish_bundle`` outputs are kept, every GroupByKey spread over
``--dask_npartitions`` partitions (default: two per worker thread), and every sink computed. The
Avro writers are replaced by ``WriteAvroShards``, built from ParDo and GroupByKey only.
"""
import os
import uuid
import zlib

import apache_beam as beam
import fastavro
from apache_beam import DoFn
from apache_beam.internal import pickler
from apache_beam.io.filesystems import FileSystems
from apache_beam.pipeline import PipelineVisitor, PTransformOverride
from apache_beam.runners.common import DoFnContext, DoFnInvoker, DoFnSignature, Receiver, _OutputHandler
from apache_beam.runners.dask import dask_runner
from apache_beam.runners.dask.overrides import _Create, _Flatten, _GroupAlsoByWindow, _GroupByKeyOnly, _Reshuffle, dask_overrides
from apache_beam.runners.dask.transform_evaluator import get_windowed_value

import schemas
from pipeline.io import WriteAvro, make_dirs
from pipeline.options import ConfigError
from pipeline.partition import WritePartitionedAvro, partition_of

NAME = "DaskRunner"
PARTITIONS_PER_THREAD = 2
CONNECT_SECONDS = 10


class DaskRunner(dask_runner.DaskRunner):
    """Beam's DaskRunner with newsbeam's translation (see the module docstring)."""

    def run_pipeline(self, pipeline, options):
        import dask.distributed as ddist

        dask_options = options.view_as(dask_runner.DaskOptions).get_all_options(drop_default=True, current_only=True)
        bag_kwargs = dask_runner.DaskOptions._extract_bag_kwargs(dask_options)
        client = ddist.Client(**dask_options)
        pipeline.replace_all(dask_overrides())
        translator = _Translator(bag_kwargs.get("npartitions") or _default_partitions(client), bag_kwargs)
        pipeline.visit(translator)
        return dask_runner.DaskRunnerResult(client, client.compute(translator.sinks()))


class _Translator(PipelineVisitor):
    """Beam primitives -> one Dask bag per PCollection."""

    def __init__(self, partitions: int, bag_kwargs: dict):
        self._partitions = partitions
        self._bag_kwargs = bag_kwargs
        self._bags = {}
        self._consumed = set()

    def visit_transform(self, node) -> None:
        inputs = [self._input(pcoll) for pcoll in node.main_inputs.values() if not isinstance(pcoll, beam.pvalue.PBegin)]
        transform = node.transform
        if node.side_inputs:
            raise NotImplementedError(f"{node.full_label}: side inputs are not supported on {NAME}")
        if isinstance(transform, _Create):
            bag = dask_runner.TRANSLATIONS[_Create](node, bag_kwargs=self._bag_kwargs).apply(None)
        elif isinstance(transform, (_Reshuffle, _GroupAlsoByWindow)):  # the grouping is done by _GroupByKeyOnly
            bag = inputs[0]
        elif isinstance(transform, _GroupByKeyOnly):
            bag = inputs[0]
            if bag.npartitions < self._partitions:
                bag = bag.repartition(self._partitions)
            bag = bag.groupby(_key, shuffle="tasks").map(_unwindowed_group)
        elif isinstance(transform, _Flatten):
            import dask.bag

            bag = dask.bag.concat(inputs)
        elif type(transform) is beam.ParDo:
            bag = _par_do(node, inputs[0])
        else:
            raise NotImplementedError(f"{node.full_label}: {type(transform).__name__} is not supported on {NAME}")
        outputs = list(node.outputs.values())
        for pcoll in outputs:
            self._bags[pcoll] = bag.map_partitions(_select, pcoll.tag) if len(outputs) > 1 else bag

    def _input(self, pcoll):
        self._consumed.add(pcoll)
        return self._bags[pcoll]

    def sinks(self) -> list:
        """A count per partition of every PCollection nothing reads: computing them runs the whole graph."""
        return [bag.map_partitions(_count) for pcoll, bag in self._bags.items() if pcoll not in self._consumed]


def _par_do(node, bag):
    transform = node.transform
    args, kwargs = transform.raw_side_inputs
    window_fn = next(iter(node.main_inputs.values())).windowing.windowfn
    tagged = len(node.outputs) > 1
    token = "".join(char if char.isalnum() else "_" for char in node.full_label)
    return bag.map_partitions(_run_bundle, pickler.dumps(transform.fn), window_fn, node.full_label,
                              list(args), kwargs, tagged, token=token)


def _run_bundle(items, serialized_fn: bytes, window_fn, label: str, args: list, kwargs: dict, tagged: bool) -> list:
    """One partition through a fresh DoFn: setup, start_bundle, process, finish_bundle, teardown.
    Returns the outputs, as ``(tag, value)`` pairs when the ParDo has tagged outputs."""
    outputs = []
    receivers = _Receivers(outputs, tagged)
    handler = _OutputHandler(window_fn=window_fn, main_receivers=receivers[None], tagged_receivers=receivers,
                             per_element_output_counter=None, output_batch_converter=None,
                             process_yields_batches=False, process_batch_yields_elements=False)
    invoker = DoFnInvoker.create_invoker(
        DoFnSignature(pickler.loads(serialized_fn)), handler, context=DoFnContext(label, state=None),
        side_inputs=None, input_args=args, input_kwargs=kwargs, user_state_context=None,
        bundle_finalizer_param=DoFn.BundleFinalizerParam())
    invoker.invoke_setup()
    invoker.invoke_start_bundle()
    for item in items:
        invoker.invoke_process(get_windowed_value(item, window_fn))
    invoker.invoke_finish_bundle()
    invoker.invoke_teardown()
    return outputs


class _Receiver(Receiver):
    def __init__(self, tag, outputs: list, tagged: bool):
        self._tag = tag
        self._outputs = outputs
        self._tagged = tagged

    def receive(self, windowed_value):
        self._outputs.append((self._tag, windowed_value.value) if self._tagged else windowed_value.value)


class _Receivers(dict):
    """Tag -> receiver, created on first use (what _OutputHandler expects of tagged_receivers)."""

    def __init__(self, outputs: list, tagged: bool):
        super().__init__()
        self._outputs = outputs
        self._tagged = tagged

    def __missing__(self, tag):
        receiver = self[tag] = _Receiver(tag, self._outputs, self._tagged)
        return receiver


def _select(pairs, tag) -> list:
    return [value for value_tag, value in pairs if value_tag == tag]


def _count(partition) -> list:
    return [sum(1 for _ in partition)]


def _key(item):
    return item[0]


def _unwindowed_group(keyed):
    """(key, [(key, WindowedValue)]) -> (key, [value]): ReifyWindows wrapped each value."""
    key, items = keyed
    return key, [item[1].value for item in items]


class WriteAvroShards(beam.PTransform):
    """Records -> ``<directory>/[<partition>/]part-SSSSS-of-NNNNN.avro``, one file per (partition, shard).

    A record's shard is a hash of its id, so a rerun of a task (a worker lost) rewrites the same
    file with the same records; each file is written under a hidden name and renamed into place."""

    def __init__(self, directory: str, schema_name: str, codec: str, num_shards: int, partitioned: bool):
        super().__init__()
        self._directory = directory
        self._schema_name = schema_name
        self._codec = codec
        self._num_shards = num_shards
        self._partitioned = partitioned

    def expand(self, records):
        return (
            records
            | "Shard" >> beam.Map(_shard_of, self._num_shards, self._partitioned)
            | "Group" >> beam.GroupByKey()
            | "Write" >> beam.Map(_write_shard, self._directory, self._schema_name, self._codec, self._num_shards)
        )


def _record_key(record: dict) -> str:
    return f"{record.get('article_id') or record['source_uri']}|{record.get('source_position')}|{record.get('stage')}"


def _shard_of(record: dict, num_shards: int, partitioned: bool):
    shard = zlib.crc32(_record_key(record).encode("utf-8")) % num_shards
    return (partition_of(record) if partitioned else "", shard), record


def _write_shard(keyed, directory: str, schema_name: str, codec: str, num_shards: int) -> str:
    (partition, shard), records = keyed
    final_directory = FileSystems.join(directory, partition) if partition else directory
    final = FileSystems.join(final_directory, f"part-{shard:05d}-of-{num_shards:05d}.avro")
    temporary = FileSystems.join(directory, f".temp-{uuid.uuid4().hex}.avro")
    make_dirs(final_directory)
    with FileSystems.create(temporary) as handle:
        fastavro.writer(handle, schemas.parsed(schema_name), sorted(records, key=_record_key), codec=codec)
    FileSystems.rename([temporary], [final])
    return final


def adapt(pipeline) -> None:
    """Before ``pipeline.run()``: check that the scheduler answers, default --dask_npartitions to
    two per worker thread, and replace the Avro writers (iobase.Write and fileio need
    finish_bundle and side inputs) by WriteAvroShards; ``--num_shards 0`` means one per partition.

    Raises ConfigError when the scheduler cannot be reached."""
    dask_options = pipeline.options.view_as(dask_runner.DaskOptions)  # the pipeline's copy of the options
    if not dask_options.npartitions and not dask_options.partition_size:
        dask_options.npartitions = _cluster_partitions(dask_options)
    pipeline.replace_all([_WriterOverride(dask_options.npartitions or 1)])


def _cluster_partitions(dask_options) -> int:
    if not dask_options.address:  # Beam's DaskRunner will start a LocalCluster on this machine
        return PARTITIONS_PER_THREAD * (os.cpu_count() or 1)
    import dask.distributed as ddist

    try:
        with ddist.Client(dask_options.address, timeout=dask_options.timeout or CONNECT_SECONDS) as client:
            return _default_partitions(client)
    except (OSError, TimeoutError) as error:
        raise ConfigError(f"cannot reach the Dask scheduler at --dask_client_address {dask_options.address!r} ({error}); "
                          "start one (dask scheduler, then dask worker ADDRESS) or fix the address") from None


def _default_partitions(client) -> int:
    return PARTITIONS_PER_THREAD * max(1, sum(client.nthreads().values()))


class _WriterOverride(PTransformOverride):
    """WriteAvro and WritePartitionedAvro -> WriteAvroShards."""

    def __init__(self, partitions: int):
        self._partitions = partitions

    def matches(self, applied) -> bool:
        return isinstance(applied.transform, (WriteAvro, WritePartitionedAvro))

    def get_replacement_transform_for_applied_ptransform(self, applied):
        writer = applied.transform
        return WriteAvroShards(writer.directory, writer.schema_name, writer.codec,
                               writer.num_shards or self._partitions, isinstance(writer, WritePartitionedAvro))
