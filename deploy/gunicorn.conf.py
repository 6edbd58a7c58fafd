"""Gunicorn settings for Tỉnh Số (used by bin/serve and deploy/systemd/tinhso-web.service).

Every value can be changed from the environment (docs/operations.md, "Configuration"):
  TINHSO_BIND            address:port or unix:/path (default 127.0.0.1:8000)
  TINHSO_WEB_WORKERS     processes (default 2 x CPU cores + 1)
  TINHSO_WEB_THREADS     threads per process (default 4)
  TINHSO_WEB_TIMEOUT     seconds before a stuck request's worker is restarted (default 60)
  TINHSO_WEB_MAX_REQUESTS requests after which a worker is recycled (default 100000, 0 = never)
  TINHSO_FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1,::1)
Command-line options given to bin/serve win over this file."""

import multiprocessing
import os

wsgi_app = "tinhso.wsgi:application"
bind = [os.environ.get("TINHSO_BIND", "127.0.0.1:8000")]

# Processes x threads = requests served at once by this app server. Threads matter: signing
# calls the time-stamping authority, which in the demo is the sandbox on this same server,
# so one server needs at least two free request slots while a document is being signed.
workers = int(os.environ.get("TINHSO_WEB_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("TINHSO_WEB_THREADS", "4"))
worker_class = "gthread"
# Not preloaded: each worker opens its own database connections (and pool) after the fork.
preload_app = False

timeout = int(os.environ.get("TINHSO_WEB_TIMEOUT", "60"))  # PDF signing + TSA + CSC fit easily
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (bounded memory growth), staggered so they never restart together.
# Keep it large: a restart re-imports Django (~1 s of CPU), and at a few thousand requests per
# second a small value (2,000) made the restarts cost more CPU than the requests (docs/performance.md).
max_requests = int(os.environ.get("TINHSO_WEB_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10

# Behind nginx or another load balancer: trust its X-Forwarded-For/-Proto only from these addresses.
# (Django itself trusts X-Forwarded-Proto through SECURE_PROXY_SSL_HEADER when TINHSO_ENV=production.)
forwarded_allow_ips = os.environ.get("TINHSO_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to standard output/error (journald under systemd). The access log shows the client address
# forwarded by the proxy and the time taken in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("TINHSO_LOG_LEVEL", "info").lower()
access_log_format = '%({x-forwarded-for}i)s %(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# Gunicorn 27's control socket lives at one fixed path per user: two app servers on one
# machine would fight over it. Off unless TINHSO_WEB_CONTROL_SOCKET names a path.
if os.environ.get("TINHSO_WEB_CONTROL_SOCKET"):
    control_socket = os.environ["TINHSO_WEB_CONTROL_SOCKET"]
else:
    control_socket_disable = True

proc_name = os.environ.get("TINHSO_WEB_NAME", "tinhso-web")
