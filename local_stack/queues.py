"""SQS event sources, as Lambda runs them: the queue is long-polled, its messages handed to the
function as a real SQS batch event of the template's batch size, and a partial batch response
honoured (failed messages stay on the queue, come back after their visibility timeout, and after
`maxReceiveCount` receives moto's redrive moves them to the dead-letter queue)."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from typing import Any

import boto3

from local_stack.runtime import Handler, context_for
from local_stack.template import Function, QueueSource

_MAX_RECEIVE = 10  # SQS hands over at most 10 messages per receive


class QueuePoller(threading.Thread):
    def __init__(
        self,
        function: Function,
        handler: Handler,
        source: QueueSource,
        queue_url: str,
        queue_arn: str,
        region: str,
    ) -> None:
        super().__init__(name=f"poll-{function.logical_id}", daemon=True)
        self.function = function
        self.handler = handler
        self.source = source
        self.queue_url = queue_url
        self.queue_arn = queue_arn
        self.region = region
        self.stopping = threading.Event()
        self.sqs = boto3.client("sqs", region_name=region)

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.poll_once()
            except Exception as error:  # the poller outlives any one bad batch, as Lambda's does
                print(f"poller {self.function.logical_id}: {error!r}", file=sys.stderr)
                self.stopping.wait(1)

    def poll_once(self) -> int:
        """Receive one batch (waiting up to a second) and hand it to the function; its size."""
        messages = self._collect()
        if messages:
            self._deliver(messages)
        return len(messages)

    def _collect(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        deadline = time.monotonic() + self.source.batching_window_seconds
        while len(messages) < self.source.batch_size and not self.stopping.is_set():
            received = self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(_MAX_RECEIVE, self.source.batch_size - len(messages)),
                WaitTimeSeconds=0 if messages else 1,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            messages.extend(received)
            if not received and (messages or time.monotonic() >= deadline):
                break
        return messages

    def _deliver(self, messages: list[dict[str, Any]]) -> None:
        event = {"Records": [self._record(message) for message in messages]}
        started = time.perf_counter()
        try:
            result = self.handler(event, context_for(self.function))
        except Exception as error:  # a failed invocation fails the whole batch
            print(
                f"SQS {self.function.logical_id} batch of {len(messages)} failed: {error!r}", file=sys.stderr
            )
            return
        failed: set[str] = set()
        if self.source.report_batch_item_failures and isinstance(result, dict):
            failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        done = [message for message in messages if message["MessageId"] not in failed]
        for start in range(0, len(done), _MAX_RECEIVE):
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
                    for index, message in enumerate(done[start : start + _MAX_RECEIVE])
                ],
            )
        elapsed = (time.perf_counter() - started) * 1000
        print(
            f"SQS {self.function.logical_id} batch of {len(messages)}: {len(done)} done, {len(failed)} failed"
            f" {elapsed:.0f}ms",
            file=sys.stderr,
        )

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": {
                name: {
                    "stringValue": value.get("StringValue"),
                    "binaryValue": value.get("BinaryValue"),
                    "stringListValues": [],
                    "binaryListValues": [],
                    "dataType": value["DataType"],
                }
                for name, value in message.get("MessageAttributes", {}).items()
            },
            "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),  # noqa: S324
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.region,
        }
