"""DynamoDB stream event sources, as Lambda runs them: the stream's shards are read in order, their
records handed to the function as a real DynamoDB stream event of the template's batch size, and a
partial batch response honoured (Lambda checkpoints before the first failed record and retries from
it). After `MaximumRetryAttempts` retries the batch is given up: its description goes to the
`OnFailure` destination queue, as Lambda's does, and reading goes on after it.

The position reached in each shard is kept in memory, and in `checkpoint` (a JSON file) when one is
given, so that a restarted local stack goes on where it stopped instead of relaying the stream's
last 24 hours again. A shard iterator is asked for on every poll: an iterator expires (15 minutes
on AWS), and moto's points at the table object it was made for, which a failed transaction
replaces."""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from local_stack.runtime import Handler, context_for
from local_stack.template import Function, StreamSource


class StreamPoller(threading.Thread):
    def __init__(
        self,
        function: Function,
        handler: Handler,
        source: StreamSource,
        stream_arn: str,
        region: str,
        on_failure_url: str | None = None,
        checkpoint: Path | None = None,
        retry_pause: float = 0.2,
    ) -> None:
        super().__init__(name=f"stream-{function.logical_id}", daemon=True)
        self.function = function
        self.handler = handler
        self.source = source
        self.stream_arn = stream_arn
        self.region = region
        self.on_failure_url = on_failure_url
        self.checkpoint = checkpoint
        self.retry_pause = retry_pause
        self.stopping = threading.Event()
        # the classic endpoint (streams.dynamodb.<region>), which moto answers: botocore would
        # otherwise address an account's own endpoint (<account>.streams-ddb.<region>)
        self.streams = boto3.client(
            "dynamodbstreams", region_name=region, config=Config(account_id_endpoint_mode="disabled")
        )
        self.positions: dict[str, str] = (
            json.loads(checkpoint.read_text()) if checkpoint is not None and checkpoint.exists() else {}
        )
        self.given_up = 0  # batches sent to the on-failure destination

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                if self.poll_once() == 0:
                    self.stopping.wait(max(self.source.batching_window_seconds, 0.2))
            except Exception as error:  # the poller outlives any one bad batch, as Lambda's does
                print(f"stream poller {self.function.logical_id}: {error!r}", file=sys.stderr)
                self.stopping.wait(1)

    def poll_once(self) -> int:
        """One batch from each shard that has new records, handed to the function; the number of
        records read (delivered, or given up on)."""
        return sum(self._poll_shard(shard_id) for shard_id in self._shards())

    def drain(self) -> int:
        """Poll until the stream has nothing new; the number of records read."""
        total = 0
        while (read := self.poll_once()) > 0:
            total += read
        return total

    def _shards(self) -> list[str]:
        shards: list[str] = []
        start: dict[str, str] = {}
        while True:
            description = self.streams.describe_stream(StreamArn=self.stream_arn, **start)[
                "StreamDescription"
            ]
            shards += [shard["ShardId"] for shard in description.get("Shards", [])]
            last = description.get("LastEvaluatedShardId")
            if not last:
                return shards
            start = {"ExclusiveStartShardId": last}

    def _poll_shard(self, shard_id: str) -> int:
        position = self.positions.get(shard_id)
        where: dict[str, str] = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": position}
            if position
            else {"ShardIteratorType": self.source.starting_position}
        )
        iterator = self.streams.get_shard_iterator(StreamArn=self.stream_arn, ShardId=shard_id, **where)[
            "ShardIterator"
        ]
        records: list[dict[str, Any]] = self.streams.get_records(
            ShardIterator=iterator, Limit=self.source.batch_size
        )["Records"]
        if records:
            self._deliver(shard_id, records)
        return len(records)

    def _deliver(self, shard_id: str, records: list[dict[str, Any]]) -> None:
        batch = [self._record(record) for record in records]
        retries = 0
        while batch:
            failed_from = self._invoke(batch)
            if failed_from is None:
                self._advance(shard_id, batch[-1])
                return
            if failed_from > 0:  # Lambda checkpoints before the first failed record
                self._advance(shard_id, batch[failed_from - 1])
                batch = batch[failed_from:]
            retries += 1
            if 0 <= self.source.maximum_retry_attempts < retries or self.stopping.is_set():
                self._give_up(shard_id, batch)
                self._advance(shard_id, batch[-1])
                return
            self.stopping.wait(self.retry_pause * retries)

    def _invoke(self, batch: list[dict[str, Any]]) -> int | None:
        """Hand the batch over; None when all of it is done, else the index of the first failed record."""
        try:
            result = self.handler({"Records": batch}, context_for(self.function))
        except Exception as error:  # a failed invocation fails the whole batch
            print(
                f"stream {self.function.logical_id} batch of {len(batch)} failed: {error!r}", file=sys.stderr
            )
            return 0
        if not (self.source.report_batch_item_failures and isinstance(result, dict)):
            return None
        failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        indexes = [
            index for index, record in enumerate(batch) if record["dynamodb"]["SequenceNumber"] in failed
        ]
        return min(indexes) if indexes else None

    def _advance(self, shard_id: str, record: dict[str, Any]) -> None:
        self.positions[shard_id] = record["dynamodb"]["SequenceNumber"]
        if self.checkpoint is not None:
            written = self.checkpoint.with_suffix(".tmp")
            written.write_text(json.dumps(self.positions))
            written.replace(self.checkpoint)

    def _give_up(self, shard_id: str, batch: list[dict[str, Any]]) -> None:
        self.given_up += 1
        print(
            f"stream {self.function.logical_id}: gave up on {len(batch)} records after "
            f"{self.source.maximum_retry_attempts} retries",
            file=sys.stderr,
        )
        if self.on_failure_url is None:
            return
        info = {
            "requestContext": {
                "condition": "RetryAttemptsExhausted",
                "functionArn": self.function.logical_id,
                "approximateInvokeCount": self.source.maximum_retry_attempts + 1,
            },
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": batch[0]["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": batch[-1]["dynamodb"]["SequenceNumber"],
                "batchSize": len(batch),
                "streamArn": self.stream_arn,
            },
            "timestamp": datetime.now(UTC).isoformat(),
        }
        boto3.client("sqs", region_name=self.region).send_message(
            QueueUrl=self.on_failure_url, MessageBody=json.dumps(info)
        )

    def _record(self, record: dict[str, Any]) -> dict[str, Any]:
        stream = dict(record["dynamodb"])
        created = stream.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):  # boto3 parses it; Lambda's event carries epoch seconds
            stream["ApproximateCreationDateTime"] = created.timestamp()
        return {
            "eventID": record.get("eventID"),
            "eventName": record.get("eventName"),
            "eventVersion": record.get("eventVersion", "1.1"),
            "eventSource": "aws:dynamodb",
            "awsRegion": record.get("awsRegion", self.region),
            "dynamodb": stream,
            "eventSourceARN": self.stream_arn,
        }
