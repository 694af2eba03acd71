/* runtime/metrics.c — Prometheus metrics over HTTP (runtime/metrics.h). */
#include "runtime/metrics.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/listen_addr.h"

#if UPPP_HAVE_METRICS

#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/escape.h"
#include "runtime/control_proto.h"

struct uppp_metrics {
	struct uppp_metrics_config cfg;
	struct MHD_Daemon *d;
	int epfd;                   /* MHD's epoll descriptor, in our loop */
	struct uppp_timer timer;    /* MHD_get_timeout */
};

#define m_log(m, level, ...) uppp_logf((m)->cfg.log, (level), __VA_ARGS__)

/* The media type of the Prometheus text exposition format 0.0.4. */
#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* ---- requests ---- */

static enum MHD_Result reply_static(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");   /* RFC 9110 §15.5.6 */
	enum MHD_Result rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result reply_metrics(struct uppp_metrics *m, struct MHD_Connection *conn)
{
	struct uppp_server_stats st;

	memset(&st, 0, sizeof(st));
	m->cfg.stats(m->cfg.stats_ctx, &st);
	size_t need = uppp_ctl_prometheus(&st, NULL, 0);
	char *body = malloc(need + 1);
	if (!body)
		return MHD_NO;   /* MHD closes the connection */
	uppp_ctl_prometheus(&st, body, need + 1);
	struct MHD_Response *r = MHD_create_response_from_buffer(need, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, PROM_CONTENT_TYPE);
	enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

/* Called by MHD once the request's header is read (and again for each
 * piece of a body, which we never wait for: the reply is queued at once,
 * and MHD closes a connection whose body it did not read). */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **req_ctx)
{
	struct uppp_metrics *m = cls;
	bool get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
	bool path = !strcmp(url, "/metrics");
	unsigned status = !path ? MHD_HTTP_NOT_FOUND : !get ? MHD_HTTP_METHOD_NOT_ALLOWED : MHD_HTTP_OK;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)req_ctx;
	if (uppp_logger_on(&m->cfg.log->lg, UPPP_LOG_DEBUG)) {
		char em[UPPP_ESCAPED_MAX], eu[UPPP_ESCAPED_MAX];
		uppp_escape((const uint8_t *)method, strnlen(method, 64), em, sizeof(em));
		uppp_escape((const uint8_t *)url, strnlen(url, 255), eu, sizeof(eu));
		m_log(m, UPPP_LOG_DEBUG, "layer=metrics event=request method='%s' path='%s' status=%u", em, eu, status);
	}
	if (status == MHD_HTTP_NOT_FOUND)
		return reply_static(conn, status, "not found: the metrics are at /metrics\n");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		return reply_static(conn, status, "method not allowed: GET /metrics\n");
	return reply_metrics(m, conn);
}

/* MHD's own messages, as our log lines: at debug level, since most are
 * about one client (a reset, a malformed request) and a scraper's hiccup is
 * no warning; what makes the listener fail to start we log ourselves. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct uppp_metrics *m = cls;
	char text[256], esc[UPPP_ESCAPED_MAX];
	va_list aq;

	va_copy(aq, ap);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	int n = vsnprintf(text, sizeof(text), fmt, aq);
#pragma GCC diagnostic pop
	va_end(aq);
	if (n < 0)
		return;
	size_t len = strnlen(text, sizeof(text));
	while (len && (text[len - 1] == '\n' || text[len - 1] == '.'))
		len--;
	uppp_escape((const uint8_t *)text, len, esc, sizeof(esc));
	m_log(m, UPPP_LOG_DEBUG, "layer=metrics event=http-error err=\"%s\"", esc);
}

/* ---- the loop ---- */

/* Wakes MHD in time for what it waits on without a socket event. */
static void rearm(struct uppp_metrics *m)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (MHD_get_timeout(m->d, &ms) != MHD_YES) {
		uppp_timer_cancel(m->cfg.loop, &m->timer);
		return;
	}
	if (ms > 3600000)
		ms = 3600000;
	uppp_timer_arm(m->cfg.loop, &m->timer, uppp_loop_now(m->cfg.loop) + ms);
}

static void run_mhd(struct uppp_metrics *m)
{
	unsigned before = uppp_metrics_connections(m);

	(void)MHD_run(m->d);   /* MHD_NO only for a daemon started with other flags */
	/* A connection that closed at the limit frees a place, but MHD puts
	 * its listening socket back into its epoll set only at the start of
	 * the next MHD_run(), and MHD_get_timeout() does not say so: without
	 * this second run a client waiting in the backlog would wait for the
	 * next event or idle timeout (test_metrics: test_connection_limit). */
	if (uppp_metrics_connections(m) < before && before >= m->cfg.max_conns)
		(void)MHD_run(m->d);
	rearm(m);
}

static void on_epoll(void *ctx, int fd, uint32_t events)
{
	(void)fd;
	(void)events;
	run_mhd(ctx);
}

static void on_timer(void *ctx, uint64_t now)
{
	(void)now;
	run_mhd(ctx);
}

/* ---- the socket ---- */

static int listen_socket(struct uppp_metrics *m, const struct sockaddr_storage *sa, socklen_t salen)
{
	int one = 1;
	int fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a restart binds again while the last run's connections are in TIME_WAIT */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)sa, salen) < 0 || listen(fd, 64) < 0) {
		int err = errno;
		close(fd);
		const char *hint = err == EADDRINUSE ? ": another program listens on this port; choose another --metrics port"
				   : err == EADDRNOTAVAIL ? ": no interface has this address"
				   : err == EACCES ? ": a port below 1024 needs root or CAP_NET_BIND_SERVICE" : "";
		m_log(m, UPPP_LOG_ERR, "layer=metrics event=open-failed addr=%s err=\"bind: %s%s\"", m->cfg.listen,
		      strerror(err), hint);
		return -err;
	}
	return fd;
}

int uppp_metrics_open(const struct uppp_metrics_config *cfg, struct uppp_metrics **out)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	char err[160];
	int rc;

	*out = NULL;
	struct uppp_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->cfg = *cfg;
	if (!m->cfg.max_conns)
		m->cfg.max_conns = UPPP_METRICS_MAX_CONNS;
	if (!m->cfg.timeout_s)
		m->cfg.timeout_s = UPPP_METRICS_TIMEOUT_S;
	m->epfd = -1;
	uppp_timer_init(&m->timer, on_timer, m);
	if (uppp_listen_addr_parse(cfg->listen, &sa, &salen, err, sizeof(err)) < 0) {
		m_log(m, UPPP_LOG_ERR, "layer=metrics event=open-failed addr=%s err=\"%s\"", cfg->listen, err);
		free(m);
		return -EINVAL;
	}
	int fd = listen_socket(m, &sa, salen);
	if (fd < 0) {
		free(m);
		return fd;
	}
	/* External epoll mode: no thread of MHD's own; our loop runs it. */
	unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG | (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	m->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, m,
				MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, m,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_CONNECTION_LIMIT, m->cfg.max_conns,
				MHD_OPTION_CONNECTION_TIMEOUT, m->cfg.timeout_s,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
				MHD_OPTION_END);
	if (!m->d) {
		/* whether MHD closed the socket it was given on failure: ask the fd */
		if (fcntl(fd, F_GETFD) >= 0)
			close(fd);
		m_log(m, UPPP_LOG_ERR, "layer=metrics event=open-failed addr=%s err=\"libmicrohttpd would not start\"",
		      cfg->listen);
		free(m);
		return -ENOMEM;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(m->d, MHD_DAEMON_INFO_EPOLL_FD);
	m->epfd = info ? info->epoll_fd : -1;
	rc = m->epfd < 0 ? -EINVAL : uppp_loop_add_fd(cfg->loop, m->epfd, EPOLLIN, on_epoll, m);
	if (rc < 0) {
		MHD_stop_daemon(m->d);   /* closes the listening socket too */
		m_log(m, UPPP_LOG_ERR, "layer=metrics event=open-failed addr=%s err=\"cannot watch libmicrohttpd's "
		      "epoll descriptor\"", cfg->listen);
		free(m);
		return rc;
	}
	rearm(m);
	m_log(m, UPPP_LOG_INFO, "layer=metrics event=listening addr=%s path=/metrics max-connections=%u timeout=%us",
	      cfg->listen, m->cfg.max_conns, m->cfg.timeout_s);
	*out = m;
	return 0;
}

void uppp_metrics_close(struct uppp_metrics *m)
{
	if (!m)
		return;
	uppp_timer_cancel(m->cfg.loop, &m->timer);
	uppp_loop_del_fd(m->cfg.loop, m->epfd);
	MHD_stop_daemon(m->d);   /* closes its connections and the listening socket */
	free(m);
}

unsigned uppp_metrics_connections(const struct uppp_metrics *m)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(m->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return info ? info->num_connections : 0;
}

#else  /* !UPPP_HAVE_METRICS */

int uppp_metrics_open(const struct uppp_metrics_config *cfg, struct uppp_metrics **out)
{
	*out = NULL;
	uppp_logf(cfg->log, UPPP_LOG_ERR, "layer=metrics event=open-failed addr=%s err=\"this uppp was built "
		  "without metrics (libmicrohttpd)\"", cfg->listen);
	return -ENOTSUP;
}

void uppp_metrics_close(struct uppp_metrics *m)
{
	(void)m;
}

unsigned uppp_metrics_connections(const struct uppp_metrics *m)
{
	(void)m;
	return 0;
}

#endif
