"""Worker processes shared by the stages: a pool that keeps input order, forked one-off tasks, and a pause of the garbage collector around bulk work."""
