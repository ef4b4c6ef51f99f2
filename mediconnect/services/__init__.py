# The commit hooks every process needs (dashboard cache invalidation, rollup refresh) are
# registered by ``mediconnect.bootstrap.wire()``, not by importing this package.
