"""``--runner DaskRunner``: the batch pipeline on a dask.distributed cluster.

Beam 2.77's DaskRunner translates Create, ParDo, GroupByKey and Flatten, but as measured here it
sends every output of a multi-output ParDo to each consumer (its bags are keyed by transform, not
by PCollection), drops what ``finish_bundle`` emits (BatchElements' last batch, iobase.Write's
file results), computes only the branch that ends in the last transform applied, keeps the
partitions of the first Create through every GroupByKey (one partition: one worker does all the
work), evaluates side inputs by recomputing their upstream inside a task, and has no metrics.

This runner keeps Beam's Dask options, overrides and result, and translates the graph itself:
one Dask bag per PCollection (a ParDo's bag holds ``(tag, value)`` pairs, selected per output),
a fresh DoFn per partition whose ``finish_bundle`` outputs are kept, every GroupByKey and
Reshuffle spread over ``--dask_npartitions`` partitions (default: two per worker thread), every
sink computed, and the Beam counters each bundle incremented returned with its outputs, so that
``metrics()`` gives the DirectRunner's numbers. The Avro writers are replaced by
``WriteAvroShards``, built from ParDo and GroupByKey only. Side inputs are refused.
"""
import collections
import functools
import os
import uuid
import zlib

import apache_beam as beam
import dask.bag
import dask.distributed as ddist
import fastavro
from apache_beam import DoFn
from apache_beam.internal import pickler
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.execution import MetricKey, MetricResult, MetricsContainer
from apache_beam.metrics.metric import MetricResults
from apache_beam.metrics.metricbase import MetricName
from apache_beam.pipeline import PipelineVisitor, PTransformOverride
from apache_beam.runners.common import DoFnContext, DoFnInvoker, DoFnSignature, Receiver, _OutputHandler
from apache_beam.runners.dask import dask_runner
from apache_beam.runners.dask.overrides import _Create, _Flatten, _GroupAlsoByWindow, _GroupByKeyOnly, _Reshuffle, dask_overrides
from apache_beam.runners.dask.transform_evaluator import get_windowed_value
from apache_beam.runners.worker import statesampler
from apache_beam.utils.counters import CounterFactory
from dask.base import tokenize

import schemas
from pipeline.io import WriteAvro, make_dirs
from pipeline.options import ConfigError
from pipeline.partition import WritePartitionedAvro, partition_of

NAME = "DaskRunner"
PARTITIONS_PER_THREAD = 2
SPREAD_KEYS_PER_PARTITION = 8  # Reshuffle: keys per output partition, so that hashing them spreads evenly
CONNECT_SECONDS = 10
_COUNTERS = "__newsbeam_counters__"  # the tag of the counters in a bundle's (tag, value) pairs


class DaskRunner(dask_runner.DaskRunner):
    """Beam's DaskRunner with newsbeam's translation (see the module docstring)."""

    def run_pipeline(self, pipeline, options):
        dask_options = options.view_as(dask_runner.DaskOptions).get_all_options(drop_default=True, current_only=True)
        bag_kwargs = dask_runner.DaskOptions._extract_bag_kwargs(dask_options)
        client = ddist.Client(**dask_options)
        pipeline.replace_all(dask_overrides())
        translator = _Translator(bag_kwargs.get("npartitions") or _default_partitions(client), bag_kwargs)
        pipeline.visit(translator)
        counters, *sinks = client.compute([translator.counters(), *translator.sinks()])
        return DaskResult(client, sinks, counters)


class DaskResult(dask_runner.DaskRunnerResult):
    """Beam's Dask result, with the counters the bundles returned as ``metrics()``."""

    def __init__(self, client, futures, counters_future):
        super().__init__(client, [*futures, counters_future])
        self._counters_future = counters_future
        self._counters = None

    def wait_until_finish(self, duration=None) -> str:
        """Wait, collect the counters, and close the connection to the scheduler."""
        try:
            state = super().wait_until_finish(duration)
            self._counters = _sum_counters(self._counters_future.result())
        finally:
            self.client.close()
        return state

    def metrics(self) -> "CounterResults":
        if self._counters is None:
            raise RuntimeError("metrics() needs a finished run: call wait_until_finish() first")
        return CounterResults(self._counters)


class CounterResults(MetricResults):
    """The counters of a finished run, by (step, namespace, name); each bundle's counters are
    counted once, from the task result the run used (a task rerun after a lost worker replaces it)."""

    def __init__(self, counters: dict[tuple[str, str, str], int]):
        self._counters = counters

    def query(self, filter=None) -> dict[str, list]:
        keys = (MetricKey(step, MetricName(namespace, name)) for step, namespace, name in self._counters)
        counters = [MetricResult(key, value, value) for key, value in zip(keys, self._counters.values())
                    if self.matches(filter, key)]
        return {self.COUNTERS: counters, self.DISTRIBUTIONS: [], self.GAUGES: [], self.STRINGSETS: [],
                self.BOUNDED_TRIES: [], self.HISTOGRAMS: []}


class _Translator(PipelineVisitor):
    """Beam primitives -> one Dask bag per PCollection."""

    def __init__(self, partitions: int, bag_kwargs: dict):
        self._partitions = partitions
        self._bag_kwargs = bag_kwargs
        self._bags = {}
        self._consumed = set()
        self._counter_bags = []

    def visit_transform(self, node) -> None:
        inputs = [self._input(pcoll) for pcoll in node.main_inputs.values() if not isinstance(pcoll, beam.pvalue.PBegin)]
        transform = node.transform
        if node.side_inputs:
            raise NotImplementedError(f"{node.full_label}: side inputs are not supported on {NAME}")
        if isinstance(transform, _Create):
            bag = dask_runner.TRANSLATIONS[_Create](node, bag_kwargs=self._bag_kwargs).apply(None)
        elif isinstance(transform, _GroupAlsoByWindow):  # the grouping is done by _GroupByKeyOnly
            bag = inputs[0]
        elif isinstance(transform, _GroupByKeyOnly):
            bag = self._spread(inputs[0]).groupby(_key, shuffle="tasks").map(_unwindowed_group)
        elif isinstance(transform, _Reshuffle):  # Beam's Dask overrides make it a no-op: spread the elements
            spread_key = functools.partial(_spread_key, SPREAD_KEYS_PER_PARTITION * self._partitions)
            bag = self._spread(inputs[0]).groupby(spread_key, shuffle="tasks").map(_values).flatten()
        elif isinstance(transform, _Flatten):
            bag = dask.bag.concat(inputs)
        elif type(transform) is beam.ParDo:
            pairs = _par_do(node, inputs[0])
            self._counter_bags.append(pairs.map_partitions(_select, _COUNTERS))
            for pcoll in node.outputs.values():
                self._bags[pcoll] = pairs.map_partitions(_select, pcoll.tag)
            return
        else:
            raise NotImplementedError(f"{node.full_label}: {type(transform).__name__} is not supported on {NAME}")
        for pcoll in node.outputs.values():
            self._bags[pcoll] = bag

    def _spread(self, bag):
        """At least --dask_npartitions partitions, so that a shuffle can spread them over the workers."""
        return bag.repartition(self._partitions) if bag.npartitions < self._partitions else bag

    def _input(self, pcoll):
        self._consumed.add(pcoll)
        return self._bags[pcoll]

    def counters(self):
        """The counters of every bundle, one dict per partition."""
        return dask.bag.concat(self._counter_bags).map_partitions(_sum_counters_partition)

    def sinks(self) -> list:
        """A count per partition of every PCollection nothing reads: computing them runs the whole graph."""
        return [bag.map_partitions(_count) for pcoll, bag in self._bags.items() if pcoll not in self._consumed]


def _par_do(node, bag):
    transform = node.transform
    args, kwargs = transform.raw_side_inputs
    window_fn = next(iter(node.main_inputs.values())).windowing.windowfn
    token = "".join(char if char.isalnum() else "_" for char in node.full_label)
    return bag.map_partitions(_run_bundle, pickler.dumps(transform.fn), window_fn, node.full_label,
                              list(args), kwargs, token=token)


def _run_bundle(items, serialized_fn: bytes, window_fn, label: str, args: list, kwargs: dict) -> list:
    """One partition through a fresh DoFn: setup, start_bundle, process, finish_bundle, teardown.

    Returns ``(tag, value)`` pairs: the outputs (main tag None), then ``(_COUNTERS, {(step,
    namespace, name): value})`` with the Beam counters the DoFn incremented."""
    outputs = []
    receivers = _Receivers(outputs)
    handler = _OutputHandler(window_fn=window_fn, main_receivers=receivers[None], tagged_receivers=receivers,
                             per_element_output_counter=None, output_batch_converter=None,
                             process_yields_batches=False, process_batch_yields_elements=False)
    invoker = DoFnInvoker.create_invoker(
        DoFnSignature(pickler.loads(serialized_fn)), handler, context=DoFnContext(label, state=None),
        side_inputs=None, input_args=args, input_kwargs=kwargs, user_state_context=None,
        bundle_finalizer_param=DoFn.BundleFinalizerParam())
    container = MetricsContainer(label)
    sampler = statesampler.StateSampler(label, CounterFactory())
    statesampler.set_current_tracker(sampler)
    try:
        with sampler.scoped_state(label, "process", metrics_container=container):
            invoker.invoke_setup()
            invoker.invoke_start_bundle()
            for item in items:
                invoker.invoke_process(get_windowed_value(item, window_fn))
            invoker.invoke_finish_bundle()
            invoker.invoke_teardown()
    finally:
        statesampler.set_current_tracker(None)
    counters = {(label, key.metric.namespace, key.metric.name): value
                for key, value in container.get_cumulative().counters.items()}
    return [*outputs, (_COUNTERS, counters)]


class _Receiver(Receiver):
    def __init__(self, tag, outputs: list):
        self._tag = tag
        self._outputs = outputs

    def receive(self, windowed_value):
        self._outputs.append((self._tag, windowed_value.value))


class _Receivers(dict):
    """Tag -> receiver, created on first use (what _OutputHandler expects of tagged_receivers)."""

    def __init__(self, outputs: list):
        super().__init__()
        self._outputs = outputs

    def __missing__(self, tag):
        receiver = self[tag] = _Receiver(tag, self._outputs)
        return receiver


def _select(pairs, tag) -> list:
    return [value for value_tag, value in pairs if value_tag == tag]


def _sum_counters(dicts) -> dict:
    totals = collections.Counter()
    for counters in dicts:
        totals.update(counters)
    return dict(totals)


def _sum_counters_partition(dicts) -> list:
    return [_sum_counters(dicts)]


def _count(partition) -> list:
    return [sum(1 for _ in partition)]


def _key(item):
    return item[0]


def _spread_key(keys: int, element) -> int:
    return int(tokenize(element), 16) % keys


def _values(keyed) -> list:
    return keyed[1]


def _unwindowed_group(keyed):
    """(key, [(key, WindowedValue)]) -> (key, [value]): ReifyWindows wrapped each value."""
    key, items = keyed
    return key, [item[1].value for item in items]


class WriteAvroShards(beam.PTransform):
    """Records -> ``<directory>/[<partition>/]<prefix>-SSSSS-of-NNNNN.avro``, one file per (partition, shard).

    A record's shard is a hash of its id, so a rerun of a task (a worker lost) rewrites the same
    file with the same records; each file is written under a hidden name and renamed into place."""

    def __init__(self, directory: str, prefix: str, schema_name: str, codec: str, num_shards: int, partitioned: bool):
        super().__init__()
        self._directory = directory
        self._prefix = prefix
        self._schema_name = schema_name
        self._codec = codec
        self._num_shards = num_shards
        self._partitioned = partitioned

    def expand(self, records):
        return (
            records
            | "Shard" >> beam.Map(_shard_of, self._num_shards, self._partitioned)
            | "Group" >> beam.GroupByKey()
            | "Write" >> beam.Map(_write_shard, self._directory, self._prefix, self._schema_name, self._codec, self._num_shards)
        )


def _record_key(record: dict) -> str:
    return f"{record.get('article_id') or record['source_uri']}|{record.get('source_position')}|{record.get('stage')}"


def _shard_of(record: dict, num_shards: int, partitioned: bool):
    shard = zlib.crc32(_record_key(record).encode("utf-8")) % num_shards
    return (partition_of(record) if partitioned else "", shard), record


def _write_shard(keyed, directory: str, prefix: str, schema_name: str, codec: str, num_shards: int) -> str:
    (partition, shard), records = keyed
    final_directory = FileSystems.join(directory, partition) if partition else directory
    final = FileSystems.join(final_directory, f"{prefix}-{shard:05d}-of-{num_shards:05d}.avro")
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
        return WriteAvroShards(writer.directory, writer.prefix, writer.schema_name, writer.codec,
                               writer.num_shards or self._partitions, isinstance(writer, WritePartitionedAvro))
