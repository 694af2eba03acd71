/* runtime/client.c — the dial-up client runtime: binds the sans-I/O client
 * (proto/dial.h) to pcap, one TUN and netlink, under one event loop whose
 * epoll fd and next timeout the embedding program waits on (uppp.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "uppp/uppp.h"
#include "core/escape.h"
#include "runtime/log.h"
#include "runtime/loop.h"
#include "runtime/random.h"
#include "runtime/runtime.h"
#include "netif/eth.h"
#include "netif/sessif.h"
#include "proto/dial.h"

struct uppp_client {
	const struct uppp_client_config *cfg;
	struct uppp_log log;
	struct uppp_loop *loop;
	struct uppp_eth *eth;
	struct uppp_sessif_pool *ifpool;
	struct uppp_sessif *ifc;
	uint32_t local_ip, peer_ip;    /* what ifc was made with */
	uint16_t mtu;
	struct uppp_dial_config dial_cfg;
	struct uppp_dial *dial;
	struct uppp_timer timer;       /* the dial engine's one deadline */
	bool started;                  /* uppp_dial_start() called: free() hangs up */
	bool finished;
	enum uppp_cause cause;
	uint8_t ip_buf[65536];
};

static uint64_t now_ms(struct uppp_client *c) { return uppp_loop_now(c->loop); }

static void dial_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct uppp_client *c = ctx;
	int err = uppp_eth_send(c->eth, frame, len);
	if (err < 0)
		uppp_logf(&c->log, UPPP_LOG_WARN, "layer=eth event=send-failed err=%s", strerror(-err));
}

/* After every call into the dial engine: the one loop timer follows its
 * deadline. If the loop cannot hold it (no memory for its heap), the dial
 * could neither retransmit nor time out: it ends at once with cause
 * host-error rather than hang. */
static void client_rearm(struct uppp_client *c)
{
	/* arming to UPPP_NO_DEADLINE (UINT64_MAX) cancels */
	_Static_assert(UPPP_NO_DEADLINE == UINT64_MAX, "uppp_timer_arm cancels at UINT64_MAX");
	int err = uppp_timer_arm(c->loop, &c->timer, uppp_dial_next_deadline(c->dial));
	if (err < 0) {
		uppp_logf(&c->log, UPPP_LOG_ERR, "sess=%u event=timer-failed err=%s reason=\"%s\"",
			  uppp_dial_session_id(c->dial), strerror(-err), uppp_cause_text(UPPP_CAUSE_HOST_ERROR));
		uppp_dial_abort(c->dial, UPPP_CAUSE_HOST_ERROR, now_ms(c));
		uppp_timer_cancel(c->loop, &c->timer);
	}
}

static void dial_timer_fired(void *ctx, uint64_t now)
{
	struct uppp_client *c = ctx;
	uppp_dial_run_timers(c->dial, now);
	client_rearm(c);
}

static void tun_readable(void *ctx, int fd, uint32_t events);
static void release_interface(struct uppp_client *c);

/* The session is over (or its Ethernet is gone): nothing more to read. */
static void client_finish(struct uppp_client *c, enum uppp_cause cause)
{
	if (c->finished)
		return;
	c->finished = true;
	c->cause = cause;
	if (c->eth)
		uppp_loop_del_fd(c->loop, uppp_eth_fd(c->eth));
}

static int dial_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct uppp_client *c = ctx;
	char err[256] = "", local[16], peer[16];
	if (c->ifc) {
		/* up again after a renegotiation (proto/ppp.h): the server may
		 * have given us another address or MRU; move the TUN to them */
		if (c->local_ip == link->local_ip && c->peer_ip == link->peer_ip && c->mtu == link->mtu) {
			uppp_logf(&c->log, UPPP_LOG_INFO, "sess=%u layer=session event=renegotiated if=%s changed=none",
				  uppp_dial_session_id(c->dial), uppp_sessif_name(c->ifc));
			return 0;
		}
		release_interface(c);
	}
	int rc = uppp_sessif_acquire(c->ifpool, link->local_ip, link->peer_ip, link->mtu, &c->ifc, err, sizeof(err));
	if (rc < 0) {
		uppp_logf(&c->log, UPPP_LOG_ERR, "layer=netif event=interface-failed err=\"%s\"", err);
		c->ifc = NULL;
		return rc;
	}
	rc = uppp_loop_add_fd(c->loop, uppp_sessif_fd(c->ifc), EPOLLIN, tun_readable, c);
	if (rc < 0) {
		uppp_sessif_release(c->ifpool, c->ifc);
		c->ifc = NULL;
		return rc;
	}
	c->local_ip = link->local_ip;
	c->peer_ip = link->peer_ip;
	c->mtu = link->mtu;
	uppp_log_ip(link->local_ip, local, sizeof(local));
	uppp_log_ip(link->peer_ip, peer, sizeof(peer));
	char dns[40] = "";
	if (link->dns[0])
		uppp_log_ip(link->dns[0], dns, sizeof(dns));
	uppp_logf(&c->log, UPPP_LOG_INFO, "sess=%u layer=session event=up if=%s local=%s peer=%s mtu=%u dns=%s",
		  uppp_dial_session_id(c->dial), uppp_sessif_name(c->ifc), local, peer, link->mtu,
		  dns[0] ? dns : "none");
	return 0;
}

static void release_interface(struct uppp_client *c)
{
	if (!c->ifc)
		return;
	uppp_loop_del_fd(c->loop, uppp_sessif_fd(c->ifc));
	uppp_sessif_release(c->ifpool, c->ifc);
	c->ifc = NULL;
}

static void dial_down(void *ctx, enum uppp_cause cause)
{
	struct uppp_client *c = ctx;
	release_interface(c);
	client_finish(c, cause);
}

static void dial_deliver_ip(void *ctx, uint8_t *pkt, size_t len)
{
	struct uppp_client *c = ctx;
	if (c->ifc)
		(void)uppp_sessif_write(c->ifc, pkt, len);
}

static const struct uppp_dial_ops client_dial_ops = {
	.send_frame = dial_send_frame,
	.random = uppp_random_ops_fill,
	.up = dial_up,
	.down = dial_down,
	.deliver_ip = dial_deliver_ip,
};

static void tun_readable(void *ctx, int fd, uint32_t events)
{
	struct uppp_client *c = ctx;
	(void)fd;
	(void)events;
	for (int i = 0; i < 64 && c->ifc; i++) {
		ssize_t n = uppp_sessif_read(c->ifc, c->ip_buf, sizeof(c->ip_buf));
		if (n <= 0)
			break;
		(void)uppp_dial_send_ip(c->dial, c->ip_buf, (size_t)n, now_ms(c));
	}
	client_rearm(c);
}

static void eth_rx(void *ctx, uint8_t *frame, size_t len)
{
	struct uppp_client *c = ctx;
	if (!c->finished)
		uppp_dial_input(c->dial, frame, len, now_ms(c));
}

static void eth_readable(void *ctx, int fd, uint32_t events)
{
	struct uppp_client *c = ctx;
	(void)fd;
	(void)events;
	int n = uppp_eth_dispatch(c->eth, eth_rx, c);
	client_rearm(c);
	if (n < 0) {
		uppp_logf(&c->log, UPPP_LOG_ERR, "layer=eth event=read-failed err=%s", strerror(-n));
		client_finish(c, UPPP_CAUSE_INTERFACE);
	}
}

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
	if (c->dial && c->started && !c->finished)
		uppp_dial_abort(c->dial, UPPP_CAUSE_ADMIN, uppp_loop_refresh_now(c->loop));  /* PADT if a session */
	if (c->dial)
		uppp_dial_free(c->dial);
	release_interface(c);
	if (c->ifpool)
		uppp_sessif_pool_free(c->ifpool);
	if (c->eth)
		uppp_eth_close(c->eth);
	if (c->loop)
		uppp_loop_free(c->loop);
	free(c);
}

int uppp_client_new(const struct uppp_client_config *cfg, struct uppp_client **out)
{
	struct uppp_client *c = calloc(1, sizeof(*c));
	char err[512] = "";
	int rc;

	*out = NULL;
	if (!c)
		return -ENOMEM;
	c->cfg = cfg;
	if (cfg->log)
		uppp_log_init_callback(&c->log, cfg->log, cfg->log_ud, cfg->log_level);
	else
		uppp_log_init(&c->log, cfg->log_out ? cfg->log_out : stderr, cfg->log_level);
	c->loop = uppp_loop_new();
	if (!c->loop) {
		rc = -ENOMEM;
		goto fail;
	}
	uppp_timer_init(&c->timer, dial_timer_fired, c);
	rc = uppp_eth_open(&c->eth, cfg->ifname, err, sizeof(err));
	if (rc < 0) {
		uppp_logf(&c->log, UPPP_LOG_ERR, "layer=eth event=open-failed if=%s err=\"%s\"", cfg->ifname, err);
		goto fail;
	}
	rc = uppp_sessif_pool_new(&c->ifpool, cfg->if_name ? cfg->if_name : "ppp%d", err, sizeof(err));
	if (rc < 0) {
		uppp_logf(&c->log, UPPP_LOG_ERR, "layer=netif event=init-failed err=\"%s\"", err);
		goto fail;
	}
	struct uppp_dial_config *d = &c->dial_cfg;
	memcpy(d->mac, uppp_eth_mac(c->eth), 6);
	d->service = cfg->service ? cfg->service : "";
	d->ac_name = cfg->ac_name;
	d->padi_timeout_ms = 1000;
	d->padi_attempts = 5;
	uppp_ppp_config_defaults(&d->ppp);
	d->ppp.is_server = false;
	d->ppp.name = cfg->user;
	d->ppp.password = cfg->password;
	d->ppp.mss_clamp = cfg->mss_clamp;
	d->ppp.link_max = uppp_link_max_for(&c->log, cfg->ifname, uppp_eth_mtu(c->eth), NULL, NULL);
	d->ppp.echo_interval_ms = cfg->echo_interval_s * 1000;
	d->ppp.echo_failure = cfg->echo_failure;
	d->ppp.negotiation_timeout_ms = cfg->negotiation_timeout_s * 1000u;
	d->ppp.debug = cfg->log_level >= UPPP_LOG_DEBUG;
	d->ppp.client_accept = cfg->auth_accept;
	d->log = c->log.lg;
	c->dial = uppp_dial_new(d, &client_dial_ops, c);
	if (!c->dial) {
		rc = -ENOMEM;
		goto fail;
	}
	if ((rc = uppp_loop_add_fd(c->loop, uppp_eth_fd(c->eth), EPOLLIN, eth_readable, c)) < 0)
		goto fail;

	char user[UPPP_ESCAPED_MAX];   /* ours, not the peer's, but quoted like every name */
	const char *u = cfg->user ? cfg->user : "";
	uppp_escape((const uint8_t *)u, strlen(u), user, sizeof(user));
	uppp_logf(&c->log, UPPP_LOG_INFO, "layer=core event=dialing if=%s mac=" UPPP_MAC_FMT " user='%s'",
		  cfg->ifname, UPPP_MAC_ARGS(d->mac), user);
	uppp_dial_start(c->dial, now_ms(c));
	c->started = true;
	client_rearm(c);
	*out = c;
	return 0;
fail:
	uppp_client_free(c);
	return rc;
}

int uppp_client_fd(const struct uppp_client *c)
{
	return uppp_loop_fd(c->loop);
}

int uppp_client_timeout_ms(const struct uppp_client *c)
{
	return c->finished ? -1 : uppp_loop_timeout_ms(c->loop);
}

int uppp_client_dispatch(struct uppp_client *c)
{
	if (c->finished)
		return 0;
	int n = uppp_loop_run_once(c->loop, 0);
	return n < 0 ? n : 0;
}

void uppp_client_hangup(struct uppp_client *c, int signo)
{
	if (c->finished)
		return;
	if (signo)
		uppp_logf(&c->log, UPPP_LOG_INFO, "layer=core event=hangup signal=%s",
			  signo == SIGINT ? "INT" : signo == SIGTERM ? "TERM" : "other");
	else
		uppp_logf(&c->log, UPPP_LOG_INFO, "layer=core event=hangup");
	/* Terminate-Request now; down() comes with the Terminate-Ack (at most
	 * a second later, on the loop's timer). A second hang-up ends the
	 * session at once. */
	uppp_dial_hangup(c->dial, UPPP_CAUSE_ADMIN, uppp_loop_refresh_now(c->loop));
	client_rearm(c);
}

bool uppp_client_done(const struct uppp_client *c)
{
	return c->finished;
}

enum uppp_cause uppp_client_cause(const struct uppp_client *c)
{
	return c->finished ? c->cause : UPPP_CAUSE_NONE;
}

int uppp_client_result(const struct uppp_client *c)
{
	if (!c->finished || c->cause == UPPP_CAUSE_ADMIN)
		return 0;
	return c->cause == UPPP_CAUSE_DISCOVERY_TIMEOUT ? -ETIMEDOUT : -ECONNRESET;
}

int uppp_client_run(const struct uppp_client_config *cfg)
{
	struct uppp_client *c;
	int rc = uppp_client_new(cfg, &c);

	if (rc < 0)
		return rc;
	while (!uppp_client_done(c)) {
		struct pollfd p = { .fd = uppp_client_fd(c), .events = POLLIN };
		if (poll(&p, 1, uppp_client_timeout_ms(c)) < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		if ((rc = uppp_client_dispatch(c)) < 0)
			break;
	}
	if (rc == 0)
		rc = uppp_client_result(c);
	uppp_client_free(c);
	return rc;
}
