"""Locust user that calls one Open Saves RPC over gRPC at a fixed rate.

The peer in the load-generator benchmark: Debian's python3-locust with a gRPC
user through Debian's python3-grpcio, as Locust's own gRPC example does it
(gevent-patched grpc, every call reported as a Locust request event).
Messages come from the descriptor set written by tools/protoset, so no
generated Python code is needed.

Environment:
  PROTOSET        path of the descriptor set (required)
  RPC             Ping or GetRecord (default Ping)
  STORE_KEY       store of the record GetRecord reads (required for GetRecord)
  RECORD_KEYS     keys of records in it, comma-separated; each user reads one (default record-1)
  RATE_PER_USER   calls per second per user (default 10)

  locust -f bench/locust/grpc_user.py --headless -u 100 -r 100 -t 15s --host 127.0.0.1:6000
"""

import os
import random
import sys
import time

import grpc
import grpc.experimental.gevent as grpc_gevent
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from locust import User, constant_throughput, task

# grpc's own threads would block gevent's loop; Locust's gRPC example does the same.
grpc_gevent.init_gevent()

SERVICE = "opensaves.OpenSaves"


def fail(message):
    """Bad configuration: one line naming the variable, and a non-zero exit."""
    print(f"grpc_user.py: {message}", file=sys.stderr)
    sys.exit(2)


def positive_number(name, default):
    raw = os.environ.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        fail(f"invalid {name}; reason: expected a number > 0, got `{raw}`")
    return value


def load_messages(path):
    """Request and response classes for every method of the service."""
    try:
        with open(path, "rb") as handle:
            descriptor_set = descriptor_pb2.FileDescriptorSet.FromString(handle.read())
    except OSError as error:
        fail(f"invalid PROTOSET; reason: expected a readable descriptor set, got `{path}` ({error.strerror})")
    pool = descriptor_pool.DescriptorPool()
    for file in descriptor_set.file:
        pool.Add(file)
    factory = message_factory.MessageFactory(pool)
    service = pool.FindServiceByName(SERVICE)
    return {
        method.name: (factory.GetPrototype(method.input_type), factory.GetPrototype(method.output_type))
        for method in service.methods
    }


RPC = os.environ.get("RPC", "Ping")
if RPC not in ("Ping", "GetRecord"):
    fail(f"invalid RPC; reason: expected Ping or GetRecord, got `{RPC}`")
PROTOSET = os.environ.get("PROTOSET", "")
if not PROTOSET:
    fail("invalid PROTOSET; reason: expected the path of a descriptor set, got ``")
STORE_KEY = os.environ.get("STORE_KEY", "")
if RPC == "GetRecord" and not STORE_KEY:
    fail("invalid STORE_KEY; reason: expected the key of an existing store for GetRecord, got ``")
RECORD_KEYS = os.environ.get("RECORD_KEYS", "record-1").split(",")
RATE_PER_USER = positive_number("RATE_PER_USER", "10")

MESSAGES = load_messages(PROTOSET)
REQUEST_CLASS, RESPONSE_CLASS = MESSAGES[RPC]


def build_request():
    if RPC == "Ping":
        return REQUEST_CLASS(ping="bench")
    return REQUEST_CLASS(store_key=STORE_KEY, key=random.choice(RECORD_KEYS))


class OpenSavesGrpcUser(User):
    """One channel per user, like one connection per k6 VU."""

    wait_time = constant_throughput(RATE_PER_USER)

    def on_start(self):
        self.channel = grpc.insecure_channel(self.host)
        self.call = self.channel.unary_unary(
            f"/{SERVICE}/{RPC}",
            request_serializer=REQUEST_CLASS.SerializeToString,
            response_deserializer=RESPONSE_CLASS.FromString,
        )
        self.request = build_request()

    def on_stop(self):
        self.channel.close()

    @task
    def call_rpc(self):
        started = time.perf_counter()
        exception = None
        length = 0
        try:
            response = self.call(self.request, timeout=10)
            length = response.ByteSize()
        except grpc.RpcError as error:
            exception = error
        self.environment.events.request.fire(
            request_type="grpc",
            name=RPC,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=length,
            exception=exception,
            context={},
        )
