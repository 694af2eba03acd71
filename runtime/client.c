/* runtime/client.c — the dial-up client runtime: binds the sans-I/O client
 * (proto/dial.h) to the Ethernet (netif/eth.h), one TUN and netlink, under one event loop whose
 * epoll fd and next timeout the embedding program waits on (uppp.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uppp/uppp.h"
#include "config/engine_config.h"
#include "core/escape.h"
#include "runtime/host.h"
#include "runtime/random.h"
#include "runtime/runtime.h"
#include "netif/eth.h"
#include "netif/sessif.h"
#include "proto/dial.h"

struct uppp_client {
	const struct uppp_client_config *cfg;
	struct uppp_host host;         /* log, loop, Ethernet, the interface pool, the dial's one timer */
	struct uppp_host_if hif;       /* the session's interface */
	struct uppp_dial_config dial_cfg;
	struct uppp_dial *dial;
	bool started;                  /* uppp_dial_start() called: free() hangs up */
	enum uppp_cause cause;
};

static uint64_t now_ms(struct uppp_client *c) { return uppp_host_now(&c->host); }

/* ---- the dial engine under the host glue (runtime/host.h) ---- */

static uint64_t engine_next_deadline(void *ctx)
{
	struct uppp_client *c = ctx;
	return uppp_dial_next_deadline(c->dial);
}

static void engine_run_timers(void *ctx, uint64_t now)
{
	struct uppp_client *c = ctx;
	uppp_dial_run_timers(c->dial, now);
}

static void engine_input(void *ctx, uint8_t *frame, size_t len, uint64_t now)
{
	struct uppp_client *c = ctx;
	if (!c->host.done)
		uppp_dial_input(c->dial, frame, len, now);
}

static void engine_send_ip(void *ctx, void *session, uint8_t *pkt, size_t len, uint64_t now)
{
	struct uppp_client *c = ctx;
	(void)session;
	(void)uppp_dial_send_ip(c->dial, pkt, len, now);
}

/* The one loop timer follows the dial's deadline. If the loop cannot hold
 * it (no memory for its heap), the dial could neither retransmit nor time
 * out: it ends at once with cause host-error rather than hang. */
static void engine_timer_failed(void *ctx, int err, uint64_t now)
{
	struct uppp_client *c = ctx;
	uppp_logf(&c->host.log, UPPP_LOG_ERR, "sess=%u event=timer-failed err=%s reason=\"%s\"",
		  uppp_dial_session_id(c->dial), strerror(-err), uppp_cause_text(UPPP_CAUSE_HOST_ERROR));
	uppp_dial_abort(c->dial, UPPP_CAUSE_HOST_ERROR, now);
	uppp_host_cancel_timer(&c->host);
}

static void client_finish(struct uppp_client *c, enum uppp_cause cause);

static void engine_eth_failed(void *ctx, int err, uint64_t now)
{
	struct uppp_client *c = ctx;
	(void)now;
	uppp_logf(&c->host.log, UPPP_LOG_ERR, "layer=eth event=read-failed err=%s", strerror(-err));
	client_finish(c, UPPP_CAUSE_INTERFACE);
}

static const struct uppp_host_engine client_engine = {
	.next_deadline = engine_next_deadline,
	.run_timers = engine_run_timers,
	.input = engine_input,
	.send_ip = engine_send_ip,
	.timer_failed = engine_timer_failed,
	.eth_failed = engine_eth_failed,
};

struct uppp_host *uppp_client_host(struct uppp_client *c)
{
	return &c->host;
}

/* ---- dial ops ---- */

static void dial_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct uppp_client *c = ctx;
	uppp_host_send_frame(&c->host, frame, len);
}

/* The session is over (or its Ethernet is gone): nothing more to read. */
static void client_finish(struct uppp_client *c, enum uppp_cause cause)
{
	if (uppp_host_finish(&c->host))
		c->cause = cause;
}

static int dial_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct uppp_client *c = ctx;
	char err[256] = "", local[16], peer[16];
	/* up again after a renegotiation (proto/ppp.h): the server may have
	 * given us another address or MRU; the glue moves the TUN to them */
	int rc = uppp_host_if_up(&c->hif, uppp_dial_session_id(c->dial), link->local_ip, link->peer_ip, link->mtu,
				 err, sizeof(err));
	if (rc < 0 && err[0])
		uppp_logf(&c->host.log, UPPP_LOG_ERR, "layer=netif event=interface-failed err=\"%s\"", err);
	if (rc <= 0)
		return rc;
	uppp_log_ip(link->local_ip, local, sizeof(local));
	uppp_log_ip(link->peer_ip, peer, sizeof(peer));
	char dns[40] = "";
	if (link->dns[0])
		uppp_log_ip(link->dns[0], dns, sizeof(dns));
	uppp_logf(&c->host.log, UPPP_LOG_INFO, "sess=%u layer=session event=up if=%s local=%s peer=%s mtu=%u dns=%s",
		  uppp_dial_session_id(c->dial), uppp_sessif_name(c->hif.ifc), local, peer, link->mtu,
		  dns[0] ? dns : "none");
	return 0;
}

static void dial_down(void *ctx, enum uppp_cause cause)
{
	struct uppp_client *c = ctx;
	uppp_host_if_release(&c->hif);
	client_finish(c, cause);
}

static void dial_deliver_ip(void *ctx, uint8_t *pkt, size_t len)
{
	struct uppp_client *c = ctx;
	uppp_host_if_write(&c->hif, pkt, len);
}

static uint8_t *dial_frame_buffer(void *ctx)
{
	struct uppp_client *c = ctx;
	return uppp_host_frame_buffer(&c->host);
}

static const struct uppp_dial_ops client_dial_ops = {
	.send_frame = dial_send_frame,
	.frame_buffer = dial_frame_buffer,
	.random = uppp_random_ops_fill,
	.up = dial_up,
	.down = dial_down,
	.deliver_ip = dial_deliver_ip,
};

void uppp_client_config_defaults(struct uppp_client_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->service = "";
	cfg->if_name = "ppp%d";
	cfg->echo_interval_s = 10;
	cfg->echo_failure = 3;
	cfg->negotiation_timeout_s = 60;
	cfg->mss_clamp = 0;
	cfg->log_level = UPPP_LOG_INFO;
}

void uppp_client_free(struct uppp_client *c)
{
	if (!c)
		return;
	if (c->dial && c->started && !c->host.done)
		uppp_dial_abort(c->dial, UPPP_CAUSE_ADMIN, uppp_loop_refresh_now(c->host.loop));  /* PADT if a session */
	if (c->dial)
		uppp_dial_free(c->dial);
	uppp_host_if_release(&c->hif);
	uppp_host_close(&c->host);
	free(c);
}

int uppp_client_new(const struct uppp_client_config *cfg, struct uppp_client **out)
{
	struct uppp_client *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return -ENOMEM;
	c->cfg = cfg;
	uppp_host_init(&c->host, cfg->log, cfg->log_ud, cfg->log_out, cfg->log_level, &client_engine, c);
	uppp_host_if_init(&c->hif, &c->host, c);
	if (cfg->busy_poll_us > UPPP_LOOP_BUSY_POLL_MAX_US) {
		uppp_logf(&c->host.log, UPPP_LOG_ERR, "layer=config event=bad-busy-poll usec=%u "
			  "err=\"busy-poll is at most 1000000 microseconds\"", cfg->busy_poll_us);
		rc = -EINVAL;
		goto fail;
	}
	/* one session, one device, deleted when it ends (as a pppd client's) */
	struct uppp_sessif_config ifcfg = { .mode = UPPP_SESSIF_PER_SESSION, .name = cfg->if_name, .idle_max = 0 };
	if ((rc = uppp_host_open(&c->host, cfg->ifname, &ifcfg)) < 0)
		goto fail;
	(void)uppp_loop_set_busy_poll(c->host.loop, cfg->busy_poll_us);   /* checked above */
	if (cfg->busy_poll_us)
		uppp_logf(&c->host.log, UPPP_LOG_INFO, "layer=core event=busy-poll usec=%u reason=\"after any work, "
			  "polls that long before sleeping: one core at 100 %% while traffic flows\"", cfg->busy_poll_us);
	struct uppp_dial_config *d = &c->dial_cfg;
	struct uppp_engine_facts facts = { .eth_mtu = uppp_eth_mtu(c->host.eth), .log = &c->host.log.lg };
	memcpy(facts.mac, uppp_eth_mac(c->host.eth), 6);
	uppp_client_engine_config(cfg, &facts, d);
	c->dial = uppp_dial_new(d, &client_dial_ops, c);
	if (!c->dial) {
		rc = -ENOMEM;
		goto fail;
	}
	if ((rc = uppp_host_watch_eth(&c->host)) < 0)
		goto fail;

	char user[UPPP_ESCAPED_MAX];   /* ours, not the peer's, but quoted like every name */
	const char *u = cfg->user ? cfg->user : "";
	uppp_escape((const uint8_t *)u, strlen(u), user, sizeof(user));
	uppp_logf(&c->host.log, UPPP_LOG_INFO, "layer=core event=dialing if=%s mac=" UPPP_MAC_FMT " user='%s'",
		  cfg->ifname, UPPP_MAC_ARGS(d->mac), user);
	uppp_dial_start(c->dial, now_ms(c));
	c->started = true;
	uppp_host_rearm(&c->host);
	*out = c;
	return 0;
fail:
	uppp_client_free(c);
	return rc;
}

int uppp_client_fd(const struct uppp_client *c)
{
	return uppp_host_fd(&c->host);
}

int uppp_client_timeout_ms(const struct uppp_client *c)
{
	return uppp_host_timeout_ms(&c->host);
}

int uppp_client_dispatch(struct uppp_client *c)
{
	return uppp_host_dispatch(&c->host);  /* exit_code stays 0: the cause says why it ended */
}

int uppp_client_wait(struct uppp_client *c)
{
	return uppp_host_wait(&c->host);
}

int uppp_client_watch_fd(struct uppp_client *c, int fd, void (*cb)(void *ctx, int fd, uint32_t events), void *ctx)
{
	return uppp_host_watch_fd(&c->host, fd, cb, ctx);
}

int uppp_client_unwatch_fd(struct uppp_client *c, int fd)
{
	return uppp_host_unwatch_fd(&c->host, fd);
}

void uppp_client_hangup(struct uppp_client *c, int signo)
{
	if (c->host.done)
		return;
	if (signo)
		uppp_logf(&c->host.log, UPPP_LOG_INFO, "layer=core event=hangup signal=%s",
			  uppp_host_signal_name(signo));
	else
		uppp_logf(&c->host.log, UPPP_LOG_INFO, "layer=core event=hangup");
	/* Terminate-Request now; down() comes with the Terminate-Ack (at most
	 * a second later, on the loop's timer). A second hang-up ends the
	 * session at once. */
	uppp_dial_hangup(c->dial, UPPP_CAUSE_ADMIN, uppp_loop_refresh_now(c->host.loop));
	uppp_host_rearm(&c->host);
}

bool uppp_client_done(const struct uppp_client *c)
{
	return c->host.done;
}

enum uppp_cause uppp_client_cause(const struct uppp_client *c)
{
	return c->host.done ? c->cause : UPPP_CAUSE_NONE;
}

int uppp_client_result(const struct uppp_client *c)
{
	if (!c->host.done || c->cause == UPPP_CAUSE_ADMIN)
		return 0;
	return c->cause == UPPP_CAUSE_DISCOVERY_TIMEOUT ? -ETIMEDOUT : -ECONNRESET;
}

int uppp_client_run(const struct uppp_client_config *cfg)
{
	struct uppp_client *c;
	int rc = uppp_client_new(cfg, &c);

	if (rc < 0)
		return rc;
	rc = uppp_host_run(&c->host);
	if (rc == 0)
		rc = uppp_client_result(c);
	uppp_client_free(c);
	return rc;
}
