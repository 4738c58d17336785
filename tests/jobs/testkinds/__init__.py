"""A job kind for tests only (installed by config.settings.test): ``test_steps`` writes rows in one
transaction and a result file published with one rename, step by step, with progress, cancel checks,
an optional failure and an optional delay per step, so a worker can be stopped or killed mid-job."""
