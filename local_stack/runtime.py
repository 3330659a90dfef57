"""Running the template's handlers in this process, as Lambda would: module loaded from its CodeUri,
a Lambda context, and the environment the template gives the function."""

from __future__ import annotations

import importlib.util
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from local_stack.template import Function, Template

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 512
    timeout_seconds: int = 10
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:local"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def get_remaining_time_in_millis(self) -> int:
        return self.timeout_seconds * 1000


def mount_layers(template: Template) -> None:
    """Put each layer's code on the import path, as Lambda mounts layers at /opt/python."""
    for properties in template.of_type("AWS::Serverless::LayerVersion").values():
        folder = str(template.path.parent / str(properties["ContentUri"]))
        if folder not in sys.path:
            sys.path.insert(0, folder)


def load_module(function: Function) -> ModuleType:
    """The function's handler module, loaded under a name unique to the function: two CodeUri
    folders may hold modules of the same file name."""
    spec = importlib.util.spec_from_file_location(f"functions.{function.logical_id}", function.module_path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {function.module_path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_INITIALIZING = threading.Lock()
_PER_INVOCATION = ("current_event", "lambda_context")
_invocation = threading.local()


class _PerThread:
    """A class attribute whose value is the current thread's (see `per_thread_router_state`)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        try:
            return getattr(_invocation, self.name)
        except AttributeError:
            raise AttributeError(self.name) from None

    def __set__(self, instance: object, value: Any) -> None:
        setattr(_invocation, self.name, value)


def per_thread_router_state() -> None:
    """Powertools keeps the request being resolved on a class attribute (`BaseRouter.current_event`,
    `BaseRouter.lambda_context`): one per process, which Lambda runs one invocation at a time. Here
    concurrent invocations share the interpreter, and one would read another's event (its body, its
    headers), so those attributes hold a value per thread: read and written through the class or an
    instance alike (a data descriptor on the metaclass for the class, and on the class for its
    instances)."""
    from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

    if isinstance(BaseRouter.__dict__.get(_PER_INVOCATION[0]), _PerThread):
        return
    meta = type(BaseRouter)
    namespace = {name: _PerThread(name) for name in _PER_INVOCATION}
    for name in _PER_INVOCATION:
        type.__setattr__(BaseRouter, name, _PerThread(name))
    BaseRouter.__class__ = type(f"PerThread{meta.__name__}", (meta,), namespace)  # type: ignore[method-assign]


def load_module_hooked(function: Function, snapshot: bool) -> ModuleType:
    """`load_module`, and the SnapStart hooks the module registered (`snapshot_restore_py`): run, as
    Lambda runs them when it publishes a version and restores it, if `snapshot` and the function has
    SnapStart; dropped either way, so that loading a module again does not pile them up."""
    from snapshot_restore_py import get_after_restore, get_before_snapshot

    registries = (get_before_snapshot(), get_after_restore())
    marks = [len(registry) for registry in registries]
    module = load_module(function)
    hooks = [registry[mark:] for registry, mark in zip(registries, marks, strict=True)]
    for registry, mark in zip(registries, marks, strict=True):
        del registry[mark:]
    if snapshot and function.snap_start:
        for hook, args, kwargs in hooks[0] + hooks[1]:  # before the snapshot, then after a restore
            hook(*args, **kwargs)
    return module


def load_handler(function: Function) -> Handler:
    """The function's handler, as Lambda runs it: an execution environment serves one invocation at
    a time, and concurrent invocations get environments of their own. Here each thread gets its own
    instance of the module (a resolver keeps per-request state), loaded on its first invocation.
    The instance loaded at start is primed as SnapStart primes a version before its snapshot
    (`load_module_hooked`); the layer's clients and caches it warms are shared by all. The others
    are not: a thread's first request may come while tests watch or hold AWS calls (faults, races),
    and priming belongs before any request, as in Lambda."""
    load_module_hooked(function, snapshot=True)  # fail at start, not on the first request
    per_thread_router_state()
    environments = threading.local()

    def handler(event: dict[str, Any], context: Any) -> Any:
        module = getattr(environments, "module", None)
        if module is None:
            # Lambda initializes each environment in a process of its own; here the environments
            # share one interpreter, and module-level set-up (route registration, Powertools' and
            # pydantic's caches) is not written to run in two threads at once: one at a time.
            with _INITIALIZING:
                module = environments.module = load_module_hooked(function, snapshot=False)
        return getattr(module, function.attribute)(event, context)

    return handler


def context_for(function: Function) -> LambdaContext:
    return LambdaContext(
        function_name=function.logical_id,
        memory_limit_in_mb=function.memory,
        timeout_seconds=function.timeout,
    )


def shared_environment(functions: list[Function]) -> dict[str, str]:
    """The environment of all functions, which share this process: a variable that two functions
    set to different values cannot be honoured in-process, so it is an error, not a silent pick."""
    merged: dict[str, str] = {}
    for function in functions:
        for key, value in function.environment.items():
            if merged.setdefault(key, value) != value:
                raise ValueError(f"functions disagree on environment variable {key}")
    return merged
