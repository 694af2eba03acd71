/* runtime/client.c — the dial-up client runtime: binds the sans-I/O client
 * (proto/dial.h) to pcap, one TUN and netlink, under one event loop. */
#include <errno.h>
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

struct client {
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
	struct uppp_timer timer;
	bool finished;
	enum uppp_cause cause;
	uint8_t ip_buf[65536];
};

static uint64_t now_ms(struct client *c) { return uppp_loop_now(c->loop); }

static void dial_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct client *c = ctx;
	int err = uppp_eth_send(c->eth, frame, len);
	if (err < 0)
		uppp_logf(&c->log, UPPP_LOG_WARN, "layer=eth event=send-failed err=%s", strerror(-err));
}

static void dial_timer_fired(void *ctx, uint64_t now)
{
	struct client *c = ctx;
	uppp_dial_timer(c->dial, now);
}

/* A failure (no memory for the loop's timer heap) makes the dial engine
 * end the session with cause HOST_ERROR. */
static int dial_set_timer(void *ctx, uint64_t deadline)
{
	struct client *c = ctx;
	if (deadline == UPPP_NO_DEADLINE) {
		uppp_timer_cancel(c->loop, &c->timer);
		return 0;
	}
	return uppp_timer_arm(c->loop, &c->timer, deadline);
}

static void tun_readable(void *ctx, int fd, uint32_t events);
static void release_interface(struct client *c);

static int dial_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct client *c = ctx;
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

static void release_interface(struct client *c)
{
	if (!c->ifc)
		return;
	uppp_loop_del_fd(c->loop, uppp_sessif_fd(c->ifc));
	uppp_sessif_release(c->ifpool, c->ifc);
	c->ifc = NULL;
}

static void dial_down(void *ctx, enum uppp_cause cause)
{
	struct client *c = ctx;
	release_interface(c);
	c->finished = true;
	c->cause = cause;
	uppp_loop_stop(c->loop);
}

static void dial_deliver_ip(void *ctx, uint8_t *pkt, size_t len)
{
	struct client *c = ctx;
	if (c->ifc)
		(void)uppp_sessif_write(c->ifc, pkt, len);
}

static const struct uppp_dial_ops client_dial_ops = {
	.send_frame = dial_send_frame,
	.set_timer = dial_set_timer,
	.random = uppp_random_ops_fill,
	.up = dial_up,
	.down = dial_down,
	.deliver_ip = dial_deliver_ip,
};

static void tun_readable(void *ctx, int fd, uint32_t events)
{
	struct client *c = ctx;
	(void)fd;
	(void)events;
	for (int i = 0; i < 64 && c->ifc; i++) {
		ssize_t n = uppp_sessif_read(c->ifc, c->ip_buf, sizeof(c->ip_buf));
		if (n <= 0)
			break;
		(void)uppp_dial_send_ip(c->dial, c->ip_buf, (size_t)n, now_ms(c));
	}
}

static void eth_rx(void *ctx, uint8_t *frame, size_t len)
{
	struct client *c = ctx;
	if (!c->finished)
		uppp_dial_input(c->dial, frame, len, now_ms(c));
}

static void eth_readable(void *ctx, int fd, uint32_t events)
{
	struct client *c = ctx;
	(void)fd;
	(void)events;
	int n = uppp_eth_dispatch(c->eth, eth_rx, c);
	if (n < 0) {
		uppp_logf(&c->log, UPPP_LOG_ERR, "layer=eth event=read-failed err=%s", strerror(-n));
		c->finished = true;
		c->cause = UPPP_CAUSE_INTERFACE;
		uppp_loop_stop(c->loop);
	}
}

static void on_signal(void *ctx, int signo)
{
	struct client *c = ctx;
	uppp_logf(&c->log, UPPP_LOG_INFO, "layer=core event=hangup signal=%s", signo == SIGINT ? "INT" : "TERM");
	/* The loop runs on until the Terminate-Ack (at most a second): down()
	 * stops it. A second signal ends the session at once. */
	if (!c->finished)
		uppp_dial_hangup(c->dial, UPPP_CAUSE_ADMIN, now_ms(c));
	else
		uppp_loop_stop(c->loop);
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

int uppp_client_run(const struct uppp_client_config *cfg)
{
	struct client *c = calloc(1, sizeof(*c));
	char err[512] = "";
	int rc;

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
		goto out;
	}
	uppp_timer_init(&c->timer, dial_timer_fired, c);
	rc = uppp_eth_open(&c->eth, cfg->ifname, err, sizeof(err));
	if (rc < 0) {
		uppp_logf(&c->log, UPPP_LOG_ERR, "layer=eth event=open-failed if=%s err=\"%s\"", cfg->ifname, err);
		goto out;
	}
	rc = uppp_sessif_pool_new(&c->ifpool, cfg->if_name ? cfg->if_name : "ppp%d", err, sizeof(err));
	if (rc < 0) {
		uppp_logf(&c->log, UPPP_LOG_ERR, "layer=netif event=init-failed err=\"%s\"", err);
		goto out;
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
		goto out;
	}
	if ((rc = uppp_loop_add_fd(c->loop, uppp_eth_fd(c->eth), EPOLLIN, eth_readable, c)) < 0 ||
	    (rc = uppp_loop_add_signal(c->loop, SIGINT, on_signal, c)) < 0 ||
	    (rc = uppp_loop_add_signal(c->loop, SIGTERM, on_signal, c)) < 0)
		goto out;

	char user[UPPP_ESCAPED_MAX];   /* ours, not the peer's, but quoted like every name */
	const char *u = cfg->user ? cfg->user : "";
	uppp_escape((const uint8_t *)u, strlen(u), user, sizeof(user));
	uppp_logf(&c->log, UPPP_LOG_INFO, "layer=core event=dialing if=%s mac=" UPPP_MAC_FMT " user='%s'",
		  cfg->ifname, UPPP_MAC_ARGS(d->mac), user);
	uppp_dial_start(c->dial, now_ms(c));
	rc = uppp_loop_run(c->loop);
	if (rc == 0 && c->finished && c->cause != UPPP_CAUSE_ADMIN)
		rc = c->cause == UPPP_CAUSE_DISCOVERY_TIMEOUT ? -ETIMEDOUT : -ECONNRESET;
out:
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
	return rc;
}
