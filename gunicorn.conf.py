"""gunicorn's settings shared by `bin/serve` and the Docker image (gunicorn reads this file from
the working directory); the command lines set only the address and the log.

Workers and threads come from the environment, sized for the machine when unset: one worker
process per core (a page is mostly Python, so more processes than cores only queue for the
CPU and cost memory) and GUNICORN_THREADS threads in each, which keep a core busy while a
request waits for the database. On the 2-core machine of the bench that is 2 x 4.
"""

import os

# WEB_CONCURRENCY is gunicorn's own name for the number of workers (docker-compose.yml sets it).
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
timeout = 120
graceful_timeout = 20

# gunicorn's default access line, with the request id the app puts on every response, so that
# an access line can be matched with the app's own lines of the same request.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)
