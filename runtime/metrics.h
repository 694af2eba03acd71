/* runtime/metrics.h — the server's counters over HTTP for Prometheus
 * (`--metrics ADDR:PORT`, docs/control.md "Metrics over HTTP"): GET
 * /metrics answers the text of `uppp stats --prometheus` (the one formatter,
 * uppp_ctl_prometheus() in runtime/control_proto.c).
 *
 * The HTTP side is libmicrohttpd (Debian libmicrohttpd-dev) in its external
 * epoll mode, served by the server's own loop: no thread, nothing blocks.
 * MHD's epoll descriptor sits in the loop's epoll (MHD_run() when it is
 * readable) and a loop timer wakes MHD for what it waits on without a
 * socket event (MHD_get_timeout: idle connections to time out, requests
 * already read). At most UPPP_METRICS_MAX_CONNS connections at once (more
 * wait in the listen backlog) and each idle one is closed after
 * UPPP_METRICS_TIMEOUT_S seconds, so a scraper cannot hold the server.
 *
 * The metrics are not authenticated: listen on a loopback or management
 * address. A build without libmicrohttpd (UPPP_HAVE_METRICS 0) refuses
 * with -ENOTSUP. */
#ifndef UPPP_RUNTIME_METRICS_H
#define UPPP_RUNTIME_METRICS_H

#include "uppp/uppp.h"
#include "runtime/log.h"
#include "runtime/loop.h"

#define UPPP_METRICS_MAX_CONNS 8
#define UPPP_METRICS_TIMEOUT_S 10

struct uppp_metrics;

struct uppp_metrics_config {
	const char *listen;           /* "ADDR:PORT" (config/listen_addr.h) */
	/* fills *st with the counters to serve, at each request */
	void (*stats)(void *ctx, struct uppp_server_stats *st);
	void *stats_ctx;
	struct uppp_loop *loop;
	struct uppp_log *log;
	unsigned max_conns;           /* 0 = UPPP_METRICS_MAX_CONNS (tests set fewer) */
	unsigned timeout_s;           /* 0 = UPPP_METRICS_TIMEOUT_S */
};

/* Binds and listens on cfg->listen (call it before privileges are dropped:
 * a port below 1024 needs CAP_NET_BIND_SERVICE) and starts serving in
 * cfg->loop. Logs what failed. 0, or -errno with *out NULL: -EINVAL (not
 * ADDR:PORT), -ENOTSUP (built without libmicrohttpd), what socket(), bind()
 * or listen() said (-EADDRINUSE, -EADDRNOTAVAIL, -EACCES), -ENOMEM. */
int uppp_metrics_open(const struct uppp_metrics_config *cfg, struct uppp_metrics **out);
/* Closes every connection and the socket, frees. NULL: nothing. */
void uppp_metrics_close(struct uppp_metrics *m);
/* Connections open now (for tests and the log). */
unsigned uppp_metrics_connections(const struct uppp_metrics *m);

#endif
