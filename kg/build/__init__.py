"""Running the stages: the build pipeline, its caches and state, the change report, and sharded builds."""
