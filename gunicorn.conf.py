"""gunicorn's settings shared by `bin/serve` and the Docker image (gunicorn reads this file from
the working directory); the command lines set the rest."""

# gunicorn's default access line, with the request id the app puts on every response, so that
# an access line can be matched with the app's own lines of the same request.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)
