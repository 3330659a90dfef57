"""The local stack: runs `template.yaml` on loopback with moto and in-process handlers (no Docker)."""
