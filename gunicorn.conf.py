"""gunicorn's settings shared by `bin/serve` and the Docker image (gunicorn reads this file from
the working directory); the command lines set only the address and the log.

Workers and threads come from the environment, sized for the machine when unset: two worker
processes per core, one thread each. A page is mostly Python (templates), so threads in one
process queue for its interpreter lock; a second process per core keeps the core busy while the
other waits for the database. On the 2-core bench machine (bench/throughput.py, 30 UPT, mixed
pages of five roles) 4 x 1 served 63-68 requests/s (p95 139-146 ms at 4 connections, 545-553 at
32), 2 x 4 threads 36-70 (p95 209-311 at 4, 864-897 at 32), in alternating runs.
"""

import os

# WEB_CONCURRENCY is gunicorn's own name for the number of workers (docker-compose.yml sets it).
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = 120
graceful_timeout = 20

# gunicorn's default access line, with the request id the app puts on every response, so that
# an access line can be matched with the app's own lines of the same request.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)
