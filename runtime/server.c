/* runtime/server.c — the access-concentrator runtime: binds the sans-I/O AC
 * (proto/ac.h) to the Ethernet (netif/eth.h), TUNs, netlink, the address
 * pool and the secrets file, under one event loop whose epoll fd and next
 * timeout the embedding program waits on (uppp.h). Several servers may live
 * in one process. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uppp/uppp.h"
#include "config/engine_config.h"
#include "config/secrets.h"
#include "runtime/log.h"
#include "core/escape.h"
#include "runtime/control.h"
#include "runtime/metrics.h"
#include "runtime/host.h"
#include "runtime/hooks.h"
#include "runtime/pap_login.h"
#include "runtime/privdrop.h"
#include "runtime/capture.h"
#include "runtime/random.h"
#include "runtime/runtime.h"
#include "config/secrets_file.h"
#include "ipam/ipam.h"
#include "netif/eth.h"
#include "netif/sessif.h"
#include "proto/ac.h"

/* What the host keeps per session: its interface (its session is
 * hif.session, the AC's). */
struct srv_session {
	struct uppp_host_if hif;
	/* pppd's scripts (runtime/hooks.h): the last job of each chain, so
	 * that a down script starts only after its up script has exited */
	uint64_t auth_job, ip_job;
	bool auth_up_ran, ip_up_ran;
	uint32_t up_local, up_peer;       /* what ip-up was told, for ip-down */
	char ifname[32];                  /* the interface ip-up named */
};

/* The secrets files as loaded: replaced whole by a reload. */
struct srv_secrets {
	struct uppp_secrets secrets;
	struct uppp_secrets pap_secrets;   /* PAP's own file (pap-secrets), when pap_separate */
	bool pap_separate;
	const char *pap_path;              /* the file PAP users are looked up in, for logs */
};

struct uppp_server {
	const struct uppp_server_config *cfg;
	struct uppp_host host;         /* log, loop, Ethernet, interfaces, the AC's one timer */
	struct uppp_ipam ipam;
	bool ipam_ready;
	struct srv_secrets sec;
	const char *our_name;              /* pppd `name`, else the host name */
	struct uppp_ac_config *ac_cfg;     /* the AC keeps a pointer: replaced whole by a reload */
	struct uppp_ac *ac;
	char host_name[64];
	unsigned mtu;                  /* pppd `mtu`, at most what the Ethernet carries; 0 = none */
	struct uppp_hooks hooks;       /* pppd's scripts */
	bool hooks_ready;
	/* uppp_hook_check of each kind's script, valid during the loop's
	 * millisecond script_ms (INT_MIN: not asked yet; UINT64_MAX: none
	 * yet): script_check */
	int script_rc[UPPP_HOOK_KINDS];
	uint64_t script_ms;
	unsigned orig_uid;             /* ORIG_UID / PPPLOGNAME: who started us (before --run-as) */
	char logname[64];
	struct uppp_control *control;  /* cfg->control_path's socket; NULL = none */
	struct uppp_capture *capture;  /* --capture or `capture start`; NULL = none */
	uint16_t kill_sid;             /* uppp_server_kill's session, while it closes */
	const char *kill_text;         /* ... and the operator's text (escaped), for the trace */
	struct uppp_metrics *metrics;  /* cfg->metrics_listen's HTTP listener; NULL = none */
};

static struct srv_session *host_of(struct uppp_server *srv, struct uppp_ac_session *s)
{
	struct srv_session *h = uppp_ac_session_user(s);
	if (h)
		return h;
	h = calloc(1, sizeof(*h));  /* once per session, at PADS time: not the packet path */
	if (!h)
		return NULL;
	uppp_host_if_init(&h->hif, &srv->host, s);
	uppp_ac_session_set_user(s, h);
	return h;
}

/* ---- the AC under the host glue (runtime/host.h) ---- */

static uint64_t engine_next_deadline(void *ctx)
{
	struct uppp_server *srv = ctx;
	return uppp_ac_next_deadline(srv->ac);
}

static void engine_run_timers(void *ctx, uint64_t now)
{
	struct uppp_server *srv = ctx;
	uppp_ac_run_timers(srv->ac, now);
}

static void engine_input(void *ctx, uint8_t *frame, size_t len, uint64_t now)
{
	struct uppp_server *srv = ctx;
	uppp_ac_input(srv->ac, frame, len, now);
}

static void engine_send_ip(void *ctx, void *session, uint8_t *pkt, size_t len, uint64_t now)
{
	struct uppp_server *srv = ctx;
	(void)uppp_ac_send_ip(srv->ac, session, pkt, len, now);
}

/* The one loop timer follows the earliest deadline of all sessions. If the
 * loop cannot hold it (no memory for its heap), no session could retransmit
 * or time out any more: every session ends at once with cause host-error
 * rather than hang. */
static void engine_timer_failed(void *ctx, int err, uint64_t now)
{
	struct uppp_server *srv = ctx;
	uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=core event=timer-failed sessions=%zu err=%s reason=\"%s\"",
		  uppp_ac_session_count(srv->ac), strerror(-err), uppp_cause_text(UPPP_CAUSE_HOST_ERROR));
	uppp_ac_shutdown(srv->ac, UPPP_CAUSE_HOST_ERROR, now);
}

static void server_finish(struct uppp_server *srv);

static void engine_eth_failed(void *ctx, int err, uint64_t now)
{
	struct uppp_server *srv = ctx;
	if (err == -ENODEV || err == -ENETDOWN) {
		/* the Ethernet interface went down or disappeared: no client can
		 * reach us any more; end every session for that reason */
		uppp_logf(&srv->host.log, UPPP_LOG_ERR,
			  "layer=eth event=interface-down if=%s cause=%s reason=\"%s\" err=%s", srv->cfg->ifname,
			  uppp_cause_name(UPPP_CAUSE_INTERFACE_DOWN), uppp_cause_text(UPPP_CAUSE_INTERFACE_DOWN),
			  strerror(-err));
		uppp_ac_shutdown(srv->ac, UPPP_CAUSE_INTERFACE_DOWN, now);
		uppp_host_rearm(&srv->host);
	}
	uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=eth event=read-failed if=%s err=%s", srv->cfg->ifname,
		  strerror(-err));
	srv->host.exit_code = err;
	server_finish(srv);
}

/* A session's route, sent in the turn's batch, was refused by the kernel
 * (runtime/host.h): the session cannot carry traffic; it ends. */
static void engine_if_failed(void *ctx, void *session, int err, const char *why, uint64_t now)
{
	struct uppp_server *srv = ctx;
	uint16_t sid = uppp_ac_session_id(session);

	uppp_logf(&srv->host.log, UPPP_LOG_ERR, "sess=%u layer=netif event=interface-failed err=\"%s\" errno=%d",
		  sid, why, -err);
	(void)uppp_ac_session_close(srv->ac, sid, UPPP_CAUSE_INTERFACE, now);
}

static const struct uppp_host_engine server_engine = {
	.next_deadline = engine_next_deadline,
	.run_timers = engine_run_timers,
	.input = engine_input,
	.send_ip = engine_send_ip,
	.timer_failed = engine_timer_failed,
	.eth_failed = engine_eth_failed,
	.if_failed = engine_if_failed,
};

struct uppp_host *uppp_server_host(struct uppp_server *srv)
{
	return &srv->host;
}

/* ---- pppd's scripts (runtime/hooks.h) ---- */

static const char *script_of(const struct uppp_server_config *cfg, enum uppp_hook_kind k)
{
	switch (k) {
	case UPPP_HOOK_AUTH_UP: return cfg->auth_up_script;
	case UPPP_HOOK_AUTH_DOWN: return cfg->auth_down_script;
	case UPPP_HOOK_IP_PRE_UP: return cfg->ip_pre_up_script;
	case UPPP_HOOK_IP_UP: return cfg->ip_up_script;
	case UPPP_HOOK_IP_DOWN: return cfg->ip_down_script;
	default: return NULL;
	}
}

/* uppp_hook_check of kind k's script, with *path set to it: 0 when none
 * is configured or the scripts are not ready. Asked at most once per
 * millisecond of the loop's clock: a set-up asks for three scripts, and one
 * turn sets up many sessions. A script put in place (or removed) counts
 * from the next millisecond on. */
static int script_check(struct uppp_server *srv, enum uppp_hook_kind k, const char **path)
{
	const char *p = *path = script_of(srv->cfg, k);
	if (!srv->hooks_ready || !p || !*p)
		return 0;
	uint64_t now = uppp_host_now(&srv->host);
	if (srv->script_ms != now) {
		for (int i = 0; i < UPPP_HOOK_KINDS; i++)
			srv->script_rc[i] = INT_MIN;
		srv->script_ms = now;
	}
	if (srv->script_rc[k] == INT_MIN)
		srv->script_rc[k] = uppp_hook_check(p);
	return srv->script_rc[k];
}

/* The script of kind k, when one is configured and can run: its path, else
 * NULL (missing: silently, as pppd; not runnable: warned). */
static const char *hook_path(struct uppp_server *srv, enum uppp_hook_kind k, unsigned sess)
{
	const char *p;
	int rc = script_check(srv, k, &p);
	if (rc < 0)
		uppp_logf(&srv->host.log, UPPP_LOG_WARN, "sess=%u layer=hook event=not-run hook=%s script=%s err=\"%s\" "
			  "reason=\"the script must be an executable regular file\"", sess, uppp_hook_name(k), p,
			  strerror(-rc));
	return rc == 1 ? p : NULL;
}

/* The script of kind k would run (hook_path, without its warning). */
static bool has_script(struct uppp_server *srv, enum uppp_hook_kind k)
{
	const char *p;
	return script_check(srv, k, &p) == 1;
}

static void hook_facts(struct uppp_server *srv, struct uppp_ac_session *s, struct srv_session *h,
		       struct uppp_hook_facts *f, char *peer, size_t peercap)
{
	struct uppp_ac_session_info info;

	uppp_ac_session_info(s, &info);
	memset(f, 0, sizeof(*f));
	/* the log's escaped form: printable ASCII as is, any other byte \xNN */
	uppp_escape((const uint8_t *)info.user, strlen(info.user), peer, peercap);
	f->ifname = h->ifname;
	f->device = srv->cfg->ifname;
	f->peer_name = peer;
	f->user_name = srv->our_name;
	f->ipparam = srv->cfg->ipparam;
	f->have_peer_mac = true;
	memcpy(f->peer_mac, info.peer_mac, 6);
	f->session_id = info.id;
	f->orig_uid = srv->orig_uid;
	f->logname = srv->logname;
	f->local_ip = h->up_local;
	f->peer_ip = h->up_peer;
	f->connect_time_s = (uppp_host_now(&srv->host) - info.started_ms) / 1000;
	f->bytes_sent = info.counters.tx_bytes;
	f->bytes_rcvd = info.counters.rx_bytes;
}

/* Runs script kind k for session s after job `after` (0: now); returns the
 * new job's id, or `after` when nothing was started (so a chain still
 * waits for what it waited for). */
static uint64_t hook_run(struct uppp_server *srv, struct uppp_ac_session *s, struct srv_session *h,
			 enum uppp_hook_kind k, uint64_t after, bool stats)
{
	const char *path = hook_path(srv, k, uppp_ac_session_id(s));
	struct uppp_hook_facts f;
	struct uppp_hook_cmd cmd;
	char peer[UPPP_ESCAPED_MAX];

	if (!path)
		return after;
	hook_facts(srv, s, h, &f, peer, sizeof(peer));
	f.have_stats = stats;
	if (uppp_hook_build(k, path, &f, &cmd) < 0) {
		uppp_logf(&srv->host.log, UPPP_LOG_ERR, "sess=%u layer=hook event=not-run hook=%s script=%s "
			  "reason=\"its arguments and environment do not fit in 4 KiB\"", f.session_id, uppp_hook_name(k), path);
		return after;
	}
	int64_t id = uppp_hooks_run(&srv->hooks, &cmd, after);
	return id > 0 ? (uint64_t)id : after;
}

/* At start: which scripts will run, which cannot. */
static void log_hooks(struct uppp_server *srv)
{
	for (int k = 0; k < UPPP_HOOK_KINDS; k++) {
		const char *p = script_of(srv->cfg, (enum uppp_hook_kind)k);
		if (!p || !*p)
			continue;
		int rc = uppp_hook_check(p);
		if (rc == 1)
			uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=hook event=script hook=%s script=%s timeout_s=%u",
				  uppp_hook_name((enum uppp_hook_kind)k), p, srv->hooks.timeout_ms / 1000);
		else if (rc == 0)
			uppp_logf(&srv->host.log, UPPP_LOG_DEBUG, "layer=hook event=no-script hook=%s script=%s "
				  "reason=\"no such file: nothing is run (as pppd)\"", uppp_hook_name((enum uppp_hook_kind)k), p);
		else
			uppp_logf(&srv->host.log, UPPP_LOG_WARN, "layer=hook event=not-run hook=%s script=%s err=\"%s\" "
				  "reason=\"the script must be an executable regular file\"",
				  uppp_hook_name((enum uppp_hook_kind)k), p, strerror(-rc));
	}
}

/* ---- AC ops ---- */

static void ac_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct uppp_server *srv = ctx;
	uppp_host_send_frame(&srv->host, frame, len);
}

static int ac_get_secret(void *ctx, const char *peer_name, uint8_t *secret, size_t cap, size_t *len)
{
	struct uppp_server *srv = ctx;
	const struct uppp_secret *e = uppp_secrets_find(&srv->sec.secrets, peer_name, srv->our_name);
	if (!e)
		return -ENOENT;
	size_t n = strlen(e->secret);
	if (n > cap)
		return -ENOENT;
	memcpy(secret, e->secret, n);
	*len = n;
	return 0;
}

/* PAP, when pppd's `login` is on or PAP has its own pap-secrets: the user
 * needs an entry there; a literal secret must match; with `login` (or a
 * secret of "@login") the password must also be the system account's. */
static int ac_check_password(void *ctx, const char *user, const uint8_t *pw, size_t len, char *why, size_t whycap)
{
	struct uppp_server *srv = ctx;
	const struct uppp_server_config *cfg = srv->cfg;
	char esc[UPPP_ESCAPED_MAX];

	if (!cfg->login && !srv->sec.pap_separate)
		return -ENOSYS;  /* plain PAP against the one secrets file */
	uppp_escape((const uint8_t *)user, strlen(user), esc, sizeof(esc));
	const struct uppp_secrets *tab = srv->sec.pap_separate ? &srv->sec.pap_secrets : &srv->sec.secrets;
	const struct uppp_secret *e = uppp_secrets_find(tab, user, srv->our_name);
	if (!e) {
		snprintf(why, whycap, "no secret for user '%s' in %s", esc, srv->sec.pap_path);
		return -ENOENT;
	}
	bool at_login = !strcmp(e->secret, "@login");
	bool secret_ok = true;
	if (!at_login) {  /* constant time in the received length */
		size_t sl = strlen(e->secret);
		volatile unsigned char diff = (unsigned char)(sl != len);
		for (size_t i = 0; i < len; i++)
			diff |= (unsigned char)(pw[i] ^ (i < sl ? (unsigned char)e->secret[i] : 0));
		secret_ok = diff == 0;
	}
	int lrc = 0;
	char lwhy[256] = "";
	if (cfg->login || at_login)
		lrc = uppp_pap_login_check(&uppp_pap_login_system, user, pw, len, lwhy, sizeof(lwhy));
	if (!secret_ok) {
		snprintf(why, whycap, "wrong password for user '%s' (%s)", esc, srv->sec.pap_path);
		return -EACCES;
	}
	if (lrc < 0) {
		const char *where = cfg->login_where ? cfg->login_where : srv->sec.pap_path;
		if (lrc == -ENOENT)
			snprintf(why, whycap, "%s; option 'login' in %s requires one", lwhy, where);
		else
			snprintf(why, whycap, "%s (option 'login' in %s)", lwhy, where);
		return -EPERM;
	}
	return 0;
}

static int ac_assign_address(void *ctx, struct uppp_ac_session *s, const char *peer_name,
			     uint32_t serial, uint32_t *peer_ip)
{
	struct uppp_server *srv = ctx;
	struct uppp_ac_session_info info;
	(void)serial;   /* the pool answers at once */
	/* the AC keeps the lease and hands it back to release_address. The
	 * address column is the one of the line that authenticated the peer:
	 * pap-secrets' for a PAP user when PAP has its own file (pppd). */
	uppp_ac_session_info(s, &info);
	const struct uppp_secrets *tab =
		srv->sec.pap_separate && info.auth == UPPP_AUTH_PAP ? &srv->sec.pap_secrets : &srv->sec.secrets;
	const struct uppp_secret *e = peer_name && *peer_name
		? uppp_secrets_find(tab, peer_name, srv->our_name) : NULL;
	int err;
	uint32_t addr = 0;
	int kind = uppp_secret_address(e, &addr);
	if (kind == -EPERM) {
		char esc[UPPP_ESCAPED_MAX];
		uppp_escape((const uint8_t *)peer_name, strlen(peer_name), esc, sizeof(esc));
		uppp_logf(&srv->host.log, UPPP_LOG_WARN,
			  "sess=%u layer=ipam event=address-not-allowed user='%s' secrets=%s:%d "
			  "reason=\"'-' in the address column: this client may have no address\"",
			  uppp_ac_session_id(s), esc, e->file, e->line);
		return -EPERM;
	}
	if (kind == 1)
		err = uppp_ipam_reserve(&srv->ipam, addr);
	else
		err = uppp_ipam_alloc(&srv->ipam, &addr);
	if (err < 0)
		return err;
	*peer_ip = addr;
	return 0;
}

static void ac_release_address(void *ctx, struct uppp_ac_session *s, uint32_t peer_ip)
{
	struct uppp_server *srv = ctx;
	(void)s;
	uppp_ipam_release(&srv->ipam, peer_ip);
}

static int ac_session_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *link)
{
	struct uppp_server *srv = ctx;
	struct srv_session *h = host_of(srv, s);
	char err[256] = "";
	if (!h)
		return -ENOMEM;
	/* pppd `mtu`: never more than that, whatever the peer's MRU allows */
	uint16_t mtu = srv->mtu && srv->mtu < link->mtu ? (uint16_t)srv->mtu : link->mtu;
	int rc = uppp_host_if_up(&h->hif, uppp_ac_session_id(s), link->local_ip, link->peer_ip, mtu, err,
				 sizeof(err));
	/* a script may use the route at once (a subnet via the peer): it is
	 * in before the script runs, not with the turn's batch */
	if (rc == 1 && (has_script(srv, UPPP_HOOK_IP_PRE_UP) || has_script(srv, UPPP_HOOK_IP_UP))) {
		rc = uppp_host_if_settle(&h->hif, err, sizeof(err));
		rc = rc < 0 ? rc : 1;
	}
	if (rc < 0 && err[0])
		uppp_logf(&srv->host.log, UPPP_LOG_ERR, "sess=%u layer=netif event=interface-failed err=\"%s\"",
			  uppp_ac_session_id(s), err);
	if (rc == 1)
		uppp_log_session_up(&srv->host.log, uppp_ac_session_id(s), uppp_ac_session_peer_mac(s),
				    uppp_sessif_name(h->hif.ifc), link);
	if (rc == 1) {
		/* pppd: ip-down for what ip-up announced (a renegotiation that
		 * moved the address or the interface), then ip-pre-up and ip-up;
		 * each after the one before has exited, none waited for */
		if (h->ip_up_ran)
			h->ip_job = hook_run(srv, s, h, UPPP_HOOK_IP_DOWN, h->ip_job, true);
		snprintf(h->ifname, sizeof(h->ifname), "%s", uppp_sessif_name(h->hif.ifc));
		h->up_local = link->local_ip;
		h->up_peer = link->peer_ip;
		h->ip_job = hook_run(srv, s, h, UPPP_HOOK_IP_PRE_UP, h->ip_job, false);
		uint64_t before = h->ip_job;
		h->ip_job = hook_run(srv, s, h, UPPP_HOOK_IP_UP, h->ip_job, false);
		h->ip_up_ran = h->ip_job != before;
	}
	return rc < 0 ? rc : 0;
}

static void ac_session_down(void *ctx, struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct uppp_server *srv = ctx;
	struct srv_session *h = uppp_ac_session_user(s);
	/* the AC logs the end line with cause and counters; a trace shows it */
	if (srv->host.taps.head)
		uppp_taps_session_end(&srv->host.taps, uppp_ac_session_id(s), uppp_ac_session_peer_mac(s), cause,
				      uppp_ac_session_id(s) == srv->kill_sid ? srv->kill_text : "",
				      uppp_host_now(&srv->host));
	if (!h)
		return;
	/* pppd: ip-down only if ip-up ran, auth-down only if auth-up ran, each
	 * once its up script has exited (queued behind it meanwhile) */
	if (h->ip_up_ran)
		(void)hook_run(srv, s, h, UPPP_HOOK_IP_DOWN, h->ip_job, true);
	if (h->auth_up_ran)
		(void)hook_run(srv, s, h, UPPP_HOOK_AUTH_DOWN, h->auth_job, true);
	uppp_host_if_release(&h->hif);
	/* the address went back in release_address, which the AC calls first */
	uppp_ac_session_set_user(s, NULL);
	free(h);
}

static void ac_deliver_ip(void *ctx, struct uppp_ac_session *s, uint8_t *pkt, size_t len)
{
	struct srv_session *h = uppp_ac_session_user(s);
	(void)ctx;
	if (h)
		uppp_host_if_write(&h->hif, pkt, len);
}

/* pppd runs auth-up once the peer has authenticated itself (never
 * without authentication). The interface is not made yet in per-session
 * mode: its name is then "" (shared mode: the shared TUN). */
static void ac_auth_result(void *ctx, struct uppp_ac_session *s, const struct uppp_ac_auth_result *r)
{
	struct uppp_server *srv = ctx;
	struct srv_session *h;

	if (!r->accepted || !srv->hooks_ready || !(h = host_of(srv, s)))
		return;
	if (h->auth_up_ran) {  /* re-authenticated (LCP renegotiated): the old one goes down first */
		h->auth_job = hook_run(srv, s, h, UPPP_HOOK_AUTH_DOWN, h->auth_job, true);
		h->auth_up_ran = false;
	}
	const char *path = hook_path(srv, UPPP_HOOK_AUTH_UP, uppp_ac_session_id(s));
	if (!path)
		return;
	const char *shared = uppp_sessif_pool_name(srv->host.ifpool);
	if (shared && !h->ifname[0])
		snprintf(h->ifname, sizeof(h->ifname), "%s", shared);
	/* the name the peer authenticated with, as the log prints it (the
	 * session's own copy is set only when the network phase starts) */
	struct uppp_hook_facts f;
	struct uppp_hook_cmd cmd;
	char peer[UPPP_ESCAPED_MAX];
	hook_facts(srv, s, h, &f, peer, sizeof(peer));
	f.peer_name = r->user;
	if (uppp_hook_build(UPPP_HOOK_AUTH_UP, path, &f, &cmd) < 0)
		return;
	int64_t id = uppp_hooks_run(&srv->hooks, &cmd, h->auth_job);
	if (id > 0) {
		h->auth_job = (uint64_t)id;
		h->auth_up_ran = true;
	}
}

static bool ac_can_accept(void *ctx)
{
	struct uppp_server *srv = ctx;
	return uppp_ipam_in_use(&srv->ipam) < uppp_ipam_capacity(&srv->ipam);
}

static uint8_t *ac_frame_buffer(void *ctx)
{
	struct uppp_server *srv = ctx;
	return uppp_host_frame_buffer(&srv->host);
}

static const struct uppp_ac_ops server_ac_ops = {
	.send_frame = ac_send_frame,
	.frame_buffer = ac_frame_buffer,
	.random = uppp_random_ops_fill,
	.get_secret = ac_get_secret,
	.check_password = ac_check_password,
	.assign_address = ac_assign_address,
	.release_address = ac_release_address,
	.session_up = ac_session_up,
	.session_down = ac_session_down,
	.deliver_ip = ac_deliver_ip,
	.can_accept = ac_can_accept,
	.auth_result = ac_auth_result,
};

/* SIGUSR1: one line with the discovery counters, the session and lease
 * counts (what test/hostile reads; handy on a live server too). */
void uppp_server_log_counters(struct uppp_server *srv)
{
	const struct uppp_ac_counters *c = uppp_ac_counters(srv->ac);
	struct uppp_sessif_stats is;
	uppp_sessif_pool_stats(srv->host.ifpool, &is);
	uppp_logf(&srv->host.log, UPPP_LOG_INFO,
		  "layer=core event=counters sessions=%zu negotiating=%zu leases=%u padi_rx=%llu pado_tx=%llu "
		  "padr_rx=%llu pads_tx=%llu padt_rx=%llu padt_tx=%llu dropped_malformed=%llu "
		  "dropped_unknown_session=%llu dropped_no_service=%llu dropped_limit=%llu dropped_bad_cookie=%llu "
		  "dropped_bad_source=%llu dropped_rate_limited=%llu dropped_negotiating=%llu "
		  "dropped_auth_limited=%llu auth_failures=%llu sessions_up=%llu sessions_down=%llu "
		  "logs_suppressed=%llu ifs_idle=%zu ip_dropped_no_session=%llu",
		  uppp_ac_session_count(srv->ac), uppp_ac_negotiating_count(srv->ac), uppp_ipam_in_use(&srv->ipam),
		  (unsigned long long)c->padi_rx, (unsigned long long)c->pado_tx, (unsigned long long)c->padr_rx,
		  (unsigned long long)c->pads_tx, (unsigned long long)c->padt_rx, (unsigned long long)c->padt_tx,
		  (unsigned long long)c->dropped_malformed, (unsigned long long)c->dropped_unknown_session,
		  (unsigned long long)c->dropped_no_service, (unsigned long long)c->dropped_limit,
		  (unsigned long long)c->dropped_bad_cookie, (unsigned long long)c->dropped_bad_source,
		  (unsigned long long)c->dropped_rate_limited, (unsigned long long)c->dropped_negotiating,
		  (unsigned long long)c->dropped_auth_limited, (unsigned long long)c->auth_failures,
		  (unsigned long long)c->sessions_up, (unsigned long long)c->sessions_down,
		  (unsigned long long)c->logs_suppressed, is.idle,
		  (unsigned long long)(is.rx_no_session + is.rx_not_ipv4));
}

/* ---- what the control socket (runtime/control.c) and embedders ask ---- */

static const char *session_state_name(enum uppp_ac_session_state st)
{
	switch (st) {
	case UPPP_AC_SESS_LCP: return "lcp";
	case UPPP_AC_SESS_AUTH: return "auth";
	case UPPP_AC_SESS_NETWORK: return "network";
	case UPPP_AC_SESS_UP: return "up";
	case UPPP_AC_SESS_TERMINATING: return "terminating";
	}
	return "unknown";
}

struct sessions_walk {
	int (*fn)(void *ctx, const struct uppp_server_session *s);
	void *ctx;
	uint64_t now;
};

static int visit_session(void *arg, const struct uppp_ac_session_info *info)
{
	struct sessions_walk *w = arg;
	struct uppp_server_session v;
	const struct srv_session *h = uppp_ac_session_user(info->session);

	memset(&v, 0, sizeof(v));
	v.id = info->id;
	memcpy(v.peer_mac, info->peer_mac, 6);
	snprintf(v.user, sizeof(v.user), "%s", info->user);
	v.peer_ip = info->peer_ip;
	if (h && h->hif.ifc)
		snprintf(v.ifname, sizeof(v.ifname), "%s", uppp_sessif_name(h->hif.ifc));
	v.state = session_state_name(info->state);
	v.up_since_ms = info->started_ms;
	v.uptime_ms = w->now > info->started_ms ? w->now - info->started_ms : 0;
	v.bytes_in = info->counters.rx_bytes;
	v.packets_in = info->counters.rx_packets;
	v.bytes_out = info->counters.tx_bytes;
	v.packets_out = info->counters.tx_packets;
	v.auth = info->auth;
	v.last_cause = UPPP_CAUSE_NONE;
	return w->fn(w->ctx, &v);
}

int uppp_server_sessions(struct uppp_server *srv, int (*fn)(void *ctx, const struct uppp_server_session *s),
			 void *ctx)
{
	struct sessions_walk w = { fn, ctx, uppp_loop_refresh_now(srv->host.loop) };
	return uppp_ac_sessions(srv->ac, visit_session, &w);
}

struct uppp_capture **uppp_server_capture_slot(struct uppp_server *srv)
{
	return &srv->capture;
}

int uppp_server_kill(struct uppp_server *srv, uint16_t session_id, const char *text)
{
	char esc[UPPP_ESCAPED_MAX];
	uint64_t now = uppp_loop_refresh_now(srv->host.loop);

	if (!uppp_ac_session_find(srv->ac, session_id))
		return -ENOENT;
	text = text ? text : "";
	uppp_escape((const uint8_t *)text, strnlen(text, 255), esc, sizeof(esc));
	uppp_logf(&srv->host.log, UPPP_LOG_INFO, "sess=%u layer=core event=kill cause=%s text='%s'", session_id,
		  uppp_cause_name(UPPP_CAUSE_ADMIN), esc);
	srv->kill_sid = session_id;
	srv->kill_text = esc;
	int rc = uppp_ac_session_close(srv->ac, session_id, UPPP_CAUSE_ADMIN, now);
	srv->kill_sid = 0;
	srv->kill_text = NULL;
	uppp_host_rearm(&srv->host);   /* the Terminate-Request and PADT leave now */
	return rc;
}

void uppp_server_stats(const struct uppp_server *srv, struct uppp_server_stats *out)
{
	const struct uppp_ac_counters *c = uppp_ac_counters(srv->ac);
	struct uppp_sessif_stats is;

	_Static_assert(UPPP_CAUSE_COUNT <= 64, "uppp_server_stats has room for 64 causes");
	memset(out, 0, sizeof(*out));
	out->padi_rx = c->padi_rx;
	out->pado_tx = c->pado_tx;
	out->padr_rx = c->padr_rx;
	out->pads_tx = c->pads_tx;
	out->padt_rx = c->padt_rx;
	out->padt_tx = c->padt_tx;
	out->dropped_malformed = c->dropped_malformed;
	out->dropped_unknown_session = c->dropped_unknown_session;
	out->dropped_no_service = c->dropped_no_service;
	out->dropped_limit = c->dropped_limit;
	out->dropped_bad_cookie = c->dropped_bad_cookie;
	out->dropped_bad_source = c->dropped_bad_source;
	out->dropped_rate_limited = c->dropped_rate_limited;
	out->dropped_negotiating = c->dropped_negotiating;
	out->dropped_auth_limited = c->dropped_auth_limited;
	memcpy(out->auth_accepted, c->auth_accepted, sizeof(out->auth_accepted));
	memcpy(out->auth_refused, c->auth_refused, sizeof(out->auth_refused));
	out->sessions_up = c->sessions_up;
	out->sessions_down = c->sessions_down;
	memcpy(out->sessions_down_by_cause, c->sessions_down_by_cause, sizeof(c->sessions_down_by_cause));
	uppp_sessif_pool_stats(srv->host.ifpool, &is);
	out->ip_dropped_no_session = is.rx_no_session + is.rx_not_ipv4;
	out->sessions = uppp_ac_session_count(srv->ac);
	out->negotiating = uppp_ac_negotiating_count(srv->ac);
	out->leases_in_use = uppp_ipam_in_use(&srv->ipam);
	out->leases_free = uppp_ipam_capacity(&srv->ipam) - out->leases_in_use;
}

static bool secrets_use_login(const struct uppp_secrets *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].secret, "@login"))
			return true;
	return false;
}

/* --run-as: everything that needs root is open by now. */
static int drop_privileges(struct uppp_server *srv)
{
	const struct uppp_server_config *cfg = srv->cfg;
	struct uppp_privdrop_result res;
	char err[512] = "";

	if (!cfg->run_as)
		return 0;
	if (cfg->login) {
		uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=core event=privdrop-failed user=%s err=\"the login option "
			  "checks system passwords in /etc/shadow, which the user could not read\"", cfg->run_as);
		return -EINVAL;
	}
	if (secrets_use_login(&srv->sec.secrets) || secrets_use_login(&srv->sec.pap_secrets)) {
		uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=core event=privdrop-failed user=%s err=\"a secrets entry "
			  "'@login' checks system passwords in /etc/shadow, which the user could not read\"", cfg->run_as);
		return -EINVAL;
	}
	int rc = uppp_privdrop(cfg->run_as, false, &res, err, sizeof(err));
	if (rc < 0) {
		uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=core event=privdrop-failed user=%s err=\"%s\"", cfg->run_as, err);
		return rc;
	}
	uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=core event=privileges-dropped user=%s uid=%u gid=%u caps=0x%llx",
		  cfg->run_as, (unsigned)res.uid, (unsigned)res.gid, (unsigned long long)res.effective);
	return 0;
}

/* Secrets other users can read are not secret: say which file. */
static void warn_if_exposed(struct uppp_server *srv, const char *path)
{
	unsigned mode = 0;
	if (uppp_file_exposed(path, &mode) == 1)
		uppp_logf(&srv->host.log, UPPP_LOG_WARN, "layer=config event=secrets-exposed file=%s mode=%04o "
			  "reason=\"group or others may read the secrets file; chmod 600 %s\"", path, mode, path);
}

/* ---- set-up and tear-down ---- */

/* cfg as the AC runs it, on this host. */
static void engine_config(struct uppp_server *srv, const struct uppp_server_config *cfg, struct uppp_ac_config *ac,
			  unsigned *mtu)
{
	struct uppp_engine_facts facts = {
		.eth_mtu = uppp_eth_mtu(srv->host.eth),
		.host_name = srv->host_name,
		.pool_capacity = uppp_ipam_capacity(&srv->ipam),
		.log = &srv->host.log.lg,
	};
	memcpy(facts.mac, uppp_eth_mac(srv->host.eth), 6);
	uppp_server_engine_config(cfg, &facts, ac, mtu);
}

void uppp_server_config_defaults(struct uppp_server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->local_ip = 0x0a000001;   /* 10.0.0.1, like pppoe-server -L */
	cfg->first_ip = 0x0a000002;   /* 10.0.0.2, -R */
	cfg->count = 20;              /* -N */
	cfg->auth = UPPP_AUTH_CHAP_MD5;
	cfg->echo_interval_s = 10;
	cfg->echo_failure = 3;
	cfg->mss_clamp = 0;
	cfg->if_pattern = "ppp%d";
	cfg->if_mode = UPPP_IF_PER_SESSION;
	cfg->if_shared_name = "uppp%d";
	cfg->log_level = UPPP_LOG_INFO;
	cfg->padi_rate = 200;
	cfg->padi_rate_per_mac = 5;
	cfg->padr_rate = 100;
	cfg->padr_rate_per_mac = 5;
	cfg->max_negotiating = 64;
	cfg->negotiation_timeout_s = 60;
	cfg->auth_fail_limit = 3;
	cfg->capture_size_mb = UPPP_CAPTURE_SIZE_MB_DEFAULT;
	cfg->capture_files = UPPP_CAPTURE_FILES_DEFAULT;
	cfg->hook_timeout_s = UPPP_HOOK_TIMEOUT_MS_DEFAULT / 1000u;
}

/* Reads the secrets files cfg names into *sec (zeroed by the caller):
 * every file is read before anything else changes (start and reload). On
 * error the reason ("FILE:LINE: ..." for a malformed line) is logged and
 * left in err, and *sec holds what must still be freed. */
static int load_secrets(struct uppp_server *srv, const struct uppp_server_config *cfg, struct srv_secrets *sec,
			char *err, size_t errlen)
{
	const char *path = cfg->secrets_path;

	if (cfg->auth == UPPP_AUTH_NONE)
		return 0;
	if (!path)
		path = cfg->auth == UPPP_AUTH_PAP ? "/etc/ppp/pap-secrets" : "/etc/ppp/chap-secrets";
	int rc = uppp_secrets_load(&sec->secrets, path, err, errlen);
	if (rc < 0) {
		uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=config event=secrets-failed file=%s err=\"%s\"", path, err);
		return rc;
	}
	uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=config event=secrets-loaded file=%s entries=%zu", path,
		  sec->secrets.n);
	warn_if_exposed(srv, path);
	sec->pap_path = path;
	/* PAP next to CHAP, with its own pap-secrets (pppd keeps them apart). */
	bool pap = cfg->auth == UPPP_AUTH_PAP || (cfg->auth_also & (1u << UPPP_AUTH_PAP));
	if (pap && cfg->pap_secrets_path && strcmp(cfg->pap_secrets_path, path) != 0) {
		rc = uppp_secrets_load(&sec->pap_secrets, cfg->pap_secrets_path, err, errlen);
		if (rc < 0) {
			uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=config event=secrets-failed file=%s err=\"%s\"",
				  cfg->pap_secrets_path, err);
			return rc;
		}
		uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=config event=secrets-loaded file=%s entries=%zu for=pap",
			  cfg->pap_secrets_path, sec->pap_secrets.n);
		warn_if_exposed(srv, cfg->pap_secrets_path);
		sec->pap_separate = true;
		sec->pap_path = cfg->pap_secrets_path;
	}
	return 0;
}

static void secrets_free(struct srv_secrets *sec)
{
	uppp_secrets_free(&sec->secrets);
	uppp_secrets_free(&sec->pap_secrets);
}

/* What GET /metrics serves (runtime/metrics.c). */
static void metrics_stats(void *ctx, struct uppp_server_stats *st)
{
	uppp_server_stats(ctx, st);
}

static void server_cleanup(struct uppp_server *srv)
{
	uppp_control_close(srv->control);   /* before the loop it is in */
	srv->control = NULL;
	uppp_metrics_close(srv->metrics);
	srv->metrics = NULL;
	if (srv->ac)
		uppp_ac_free(srv->ac);  /* session_down for any session still there */
	if (srv->hooks_ready) {
		uppp_hooks_free(&srv->hooks);   /* kills (logged) and reaps what still runs */
		srv->hooks_ready = false;
	}
	uppp_capture_close(srv->capture);   /* after the last PADTs, before the host */
	srv->capture = NULL;
	uppp_host_close(&srv->host);
	if (srv->ipam_ready)
		uppp_ipam_destroy(&srv->ipam);
	secrets_free(&srv->sec);
	free(srv->ac_cfg);
}

int uppp_server_new(const struct uppp_server_config *cfg, struct uppp_server **out)
{
	struct uppp_server *srv = calloc(1, sizeof(*srv));
	char err[512] = "";
	int rc;

	*out = NULL;
	if (!srv)
		return -ENOMEM;
	srv->script_ms = UINT64_MAX;   /* no script asked about yet */
	if (!UPPP_HAVE_MSCHAPV2 && (cfg->auth == UPPP_AUTH_MSCHAPV2 || (cfg->auth_also & 1u << UPPP_AUTH_MSCHAPV2))) {
		free(srv);
		return -ENOTSUP;   /* built without MS-CHAPv2 (uppp/version.h) */
	}
	srv->cfg = cfg;
	/* ORIG_UID and PPPLOGNAME: who started us, before --run-as */
	srv->orig_uid = (unsigned)getuid();
	struct passwd pw, *pwp = NULL;
	char pwbuf[1024];
	if (getpwuid_r(getuid(), &pw, pwbuf, sizeof(pwbuf), &pwp) == 0 && pwp)
		snprintf(srv->logname, sizeof(srv->logname), "%s", pw.pw_name);
	uppp_host_init(&srv->host, cfg->log, cfg->log_ud, cfg->log_out, cfg->log_level, &server_engine, srv);
	if (gethostname(srv->host_name, sizeof(srv->host_name) - 1) < 0)
		strcpy(srv->host_name, "uppp");
	srv->our_name = cfg->ppp_name ? cfg->ppp_name : srv->host_name;
	if (cfg->busy_poll_us > UPPP_LOOP_BUSY_POLL_MAX_US) {
		uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=config event=bad-busy-poll usec=%u "
			  "err=\"busy-poll is at most 1000000 microseconds\"", cfg->busy_poll_us);
		rc = -EINVAL;
		goto out;
	}

	rc = uppp_ipam_init(&srv->ipam, cfg->local_ip, cfg->first_ip, cfg->count,
			    uppp_ipam_covering_mask(cfg->first_ip, cfg->count), err, sizeof(err));
	if (rc < 0) {
		uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=config event=bad-pool err=\"%s\"", err);
		goto out;
	}
	srv->ipam_ready = true;
	if ((rc = load_secrets(srv, cfg, &srv->sec, err, sizeof(err))) < 0)
		goto out;

	/* pppd `logfile`: configuration errors above still reach stderr. */
	if (cfg->log_file) {
		uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=config event=logfile file=%s", cfg->log_file);
		if ((rc = uppp_log_open_file(&srv->host.log, cfg->log_file)) < 0) {
			uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=config event=logfile-failed file=%s err=\"%s\"",
				  cfg->log_file, strerror(-rc));
			goto out;
		}
	}
	/* Per-session: every released device is kept for the next session, up
	 * to as many as the address pool can have sessions at once (-N): the
	 * kernel then never holds more devices than the busiest moment needed,
	 * and no session's end waits ~18 ms for a device to be deleted. */
	struct uppp_sessif_config ifcfg = {
		.mode = cfg->if_mode == UPPP_IF_SHARED ? UPPP_SESSIF_SHARED : UPPP_SESSIF_PER_SESSION,
		.name = cfg->if_mode == UPPP_IF_SHARED ? cfg->if_shared_name : cfg->if_pattern,
		.idle_max = uppp_ipam_capacity(&srv->ipam),
	};
	if ((rc = uppp_host_open(&srv->host, cfg->ifname, &ifcfg)) < 0)
		goto out;
	uppp_hooks_init(&srv->hooks, srv->host.loop, &srv->host.log, cfg->hook_timeout_s * 1000u, 0);
	srv->hooks_ready = true;
	log_hooks(srv);
	(void)uppp_loop_set_busy_poll(srv->host.loop, cfg->busy_poll_us);   /* checked above */
	if (cfg->busy_poll_us)
		uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=core event=busy-poll usec=%u reason=\"after any work, "
			  "polls that long before sleeping: one core at 100 %% while traffic flows\"", cfg->busy_poll_us);

	struct uppp_ac_config *ac = srv->ac_cfg = calloc(1, sizeof(*ac));
	if (!ac) {
		rc = -ENOMEM;
		goto out;
	}
	engine_config(srv, cfg, ac, &srv->mtu);
	srv->ac = uppp_ac_new(ac, &server_ac_ops, srv);
	if (!srv->ac) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = uppp_host_watch_eth(&srv->host)) < 0)
		goto out;
	if (cfg->control_path) {   /* before privileges are dropped: /run/uppp is root's */
		struct uppp_control_config cc = {
			.path = cfg->control_path, .group = cfg->control_group, .srv = srv,
			.ops = cfg->control_ops, .ops_ctx = cfg->control_ctx,
			.loop = srv->host.loop, .log = &srv->host.log,
		};
		if ((rc = uppp_control_open(&cc, &srv->control)) < 0)
			goto out;
	}
	if (cfg->capture_path) {   /* before privileges are dropped, as the control socket */
		struct uppp_capture_config cc = {
			.path = cfg->capture_path, .data = cfg->capture_data,
			.size_bytes = (uint64_t)(cfg->capture_size_mb ? cfg->capture_size_mb
						 : UPPP_CAPTURE_SIZE_MB_DEFAULT) << 20,
			.files = cfg->capture_files,
		};
		if (cfg->capture_size_mb > UPPP_CAPTURE_SIZE_MB_MAX || cfg->capture_files > UPPP_CAPTURE_FILES_MAX) {
			uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=config event=bad-capture err=\"capture size is "
				  "at most %u MB and files at most %u\"", UPPP_CAPTURE_SIZE_MB_MAX, UPPP_CAPTURE_FILES_MAX);
			rc = -EINVAL;
			goto out;
		}
		if ((rc = uppp_capture_open(&cc, &srv->host, &srv->capture, err, sizeof(err))) < 0) {
			uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=capture event=open-failed err=\"%s\"", err);
			goto out;
		}
	}
	if (cfg->metrics_listen) {   /* before privileges are dropped: a port below 1024 needs them */
		struct uppp_metrics_config mc = {
			.listen = cfg->metrics_listen, .stats = metrics_stats, .stats_ctx = srv,
			.loop = srv->host.loop, .log = &srv->host.log,
		};
		if ((rc = uppp_metrics_open(&mc, &srv->metrics)) < 0)
			goto out;
	}
	if ((rc = drop_privileges(srv)) < 0)
		goto out;

	char local[16], first[16];
	uppp_log_ip(cfg->local_ip, local, sizeof(local));
	uppp_log_ip(cfg->first_ip, first, sizeof(first));
	uppp_logf(&srv->host.log, UPPP_LOG_INFO,
		  "layer=core event=started if=%s mac=" UPPP_MAC_FMT " ac-name='%s' local=%s pool=%s+%u auth=%s",
		  cfg->ifname, UPPP_MAC_ARGS(ac->mac), ac->ac_name, local, first, cfg->count,
		  uppp_auth_proto_name(ac->ppp.auth));
	*out = srv;
	return 0;
out:
	server_cleanup(srv);
	free(srv);
	return rc;
}

/* ---- reload ---- */

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The first setting of cfg a running server cannot take: 0, or -EINVAL with
 * err naming it (as the operator wrote it) and what to do. */
static int check_unchangeable(const struct uppp_server *srv, const struct uppp_server_config *cfg, char *err,
			      size_t errlen)
{
	const struct uppp_server_config *old = srv->cfg;
	const char *what = NULL;
	bool services = old->n_services == cfg->n_services;

	for (unsigned i = 0; services && i < cfg->n_services; i++)
		services = same_str(old->services[i], cfg->services[i]);
	if (!same_str(old->ifname, cfg->ifname))
		what = "the interface (-I)";
	else if (old->local_ip != cfg->local_ip)
		what = "our address (-L)";
	else if (old->first_ip != cfg->first_ip || old->count != cfg->count)
		what = "the address pool (-R, -N)";
	else if (!services)
		what = "the Service-Names (-S)";
	else if (!same_str(old->ac_name, cfg->ac_name))
		what = "the AC-Name (-C)";
	else if (old->if_mode != cfg->if_mode)
		what = "the interface mode (--if-mode)";
	else if (!same_str(old->if_pattern, cfg->if_pattern) || !same_str(old->if_shared_name, cfg->if_shared_name))
		what = "the session interface names (--if-pattern, --if-shared-name)";
	else if (!same_str(old->run_as, cfg->run_as))
		what = "the user to run as (--run-as)";
	else if (old->log != cfg->log || old->log_ud != cfg->log_ud || old->log_out != cfg->log_out)
		what = "the log callback or stream";
	else if (old->log_file && !cfg->log_file)
		what = "the log file (logfile: the log cannot go back to the stream it left)";
	else if (cfg->login && srv->cfg->run_as)
		what = "`login` (it needs root to read /etc/shadow, dropped by --run-as)";
	else if (!UPPP_HAVE_MSCHAPV2 &&
		 (cfg->auth == UPPP_AUTH_MSCHAPV2 || (cfg->auth_also & 1u << UPPP_AUTH_MSCHAPV2)))
		what = "MS-CHAPv2 (this build has none)";
	else if (cfg->busy_poll_us > UPPP_LOOP_BUSY_POLL_MAX_US)
		what = "busy-poll (at most 1000000 microseconds)";
	if (!what)
		return 0;
	snprintf(err, errlen, "%s cannot change while the server runs; restart uppp to change it", what);
	return -EINVAL;
}

int uppp_server_reconfigure(struct uppp_server *srv, const struct uppp_server_config *cfg, char *err,
			    size_t errlen)
{
	char why[512] = "";
	struct srv_secrets sec = { 0 };
	struct uppp_ac_config *ac = NULL;
	unsigned mtu = 0;
	int rc;

	if (srv->host.done) {
		snprintf(why, sizeof(why), "the server has stopped");
		rc = -ESHUTDOWN;
		goto fail;
	}
	if ((rc = check_unchangeable(srv, cfg, why, sizeof(why))) < 0)
		goto fail;
	if ((rc = load_secrets(srv, cfg, &sec, why, sizeof(why))) < 0)
		goto fail;
	if (cfg->run_as && (secrets_use_login(&sec.secrets) || secrets_use_login(&sec.pap_secrets))) {
		snprintf(why, sizeof(why), "a secrets entry '@login' checks system passwords in /etc/shadow, "
			 "which --run-as %s cannot read", cfg->run_as);
		rc = -EINVAL;
		goto fail;
	}
	if (!(ac = calloc(1, sizeof(*ac)))) {
		snprintf(why, sizeof(why), "out of memory");
		rc = -ENOMEM;
		goto fail;
	}
	engine_config(srv, cfg, ac, &mtu);
	ac->log.min = cfg->log_level;   /* `debug` added or removed */
	if ((rc = uppp_ac_reconfigure(srv->ac, ac)) < 0) {
		snprintf(why, sizeof(why), "the engine refused the new configuration: %s", strerror(-rc));
		goto fail;
	}
	/* the swap: nothing below can fail */
	secrets_free(&srv->sec);
	srv->sec = sec;
	free(srv->ac_cfg);
	srv->ac_cfg = ac;
	srv->cfg = cfg;
	srv->script_ms = UINT64_MAX;   /* the scripts' paths may have changed */
	srv->mtu = mtu;
	srv->our_name = cfg->ppp_name ? cfg->ppp_name : srv->host_name;
	srv->host.log.lg.min = cfg->log_level;
	(void)uppp_loop_set_busy_poll(srv->host.loop, cfg->busy_poll_us);   /* checked above */
	if (err && errlen)
		err[0] = '\0';
	/* `logfile` opened again, as daemons do on SIGHUP: after logrotate
	 * moved it, lines go to the new file (the old one is closed) */
	if (cfg->log_file && (rc = uppp_log_open_file(&srv->host.log, cfg->log_file)) < 0)
		uppp_logf(&srv->host.log, UPPP_LOG_WARN, "layer=config event=logfile-failed file=%s err=\"%s\" "
			  "reason=\"the log stays where it was\"", cfg->log_file, strerror(-rc));
	uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=config event=reconfigured sessions=%zu auth=%s "
		  "reason=\"new logins use the new secrets, DNS and limits; sessions up keep theirs\"",
		  uppp_ac_session_count(srv->ac), uppp_auth_proto_name(ac->ppp.auth));
	return 0;
fail:
	secrets_free(&sec);
	free(ac);
	uppp_logf(&srv->host.log, UPPP_LOG_ERR, "layer=config event=reconfigure-failed err=\"%s\" "
		  "reason=\"the configuration in force is kept\"", why);
	if (err && errlen)
		snprintf(err, errlen, "%s", why);
	return rc;
}

void uppp_server_logf(struct uppp_server *srv, enum uppp_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	uppp_vlogf(&srv->host.log, level, fmt, ap);
	va_end(ap);
}

/* Every session ends (LCP Terminate-Request and PADT to each, addresses
 * back, interfaces removed), then nothing more is read. */
static void server_finish(struct uppp_server *srv)
{
	if (!uppp_host_finish(&srv->host))
		return;
	uppp_ac_shutdown(srv->ac, UPPP_CAUSE_ADMIN, uppp_loop_refresh_now(srv->host.loop));
	uppp_host_cancel_timer(&srv->host);
	/* Every session is gone: a lease still held here would be a leak. */
	uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=core event=stopped leases=%u", uppp_ipam_in_use(&srv->ipam));
}

int uppp_server_fd(const struct uppp_server *srv)
{
	return uppp_host_fd(&srv->host);
}

int uppp_server_timeout_ms(const struct uppp_server *srv)
{
	return uppp_host_timeout_ms(&srv->host);
}

int uppp_server_dispatch(struct uppp_server *srv)
{
	return uppp_host_dispatch(&srv->host);
}

int uppp_server_wait(struct uppp_server *srv)
{
	return uppp_host_wait(&srv->host);
}

int uppp_server_watch_fd(struct uppp_server *srv, int fd, void (*cb)(void *ctx, int fd, uint32_t events), void *ctx)
{
	return uppp_host_watch_fd(&srv->host, fd, cb, ctx);
}

int uppp_server_unwatch_fd(struct uppp_server *srv, int fd)
{
	return uppp_host_unwatch_fd(&srv->host, fd);
}

void uppp_server_stop(struct uppp_server *srv, int signo)
{
	if (srv->host.done)
		return;
	if (signo)
		uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=core event=shutdown signal=%s sessions=%zu",
			  uppp_host_signal_name(signo), uppp_ac_session_count(srv->ac));
	else
		uppp_logf(&srv->host.log, UPPP_LOG_INFO, "layer=core event=shutdown sessions=%zu",
			  uppp_ac_session_count(srv->ac));
	server_finish(srv);
}

bool uppp_server_done(const struct uppp_server *srv)
{
	return srv->host.done;
}

/* At most this long, when the server is freed, for the scripts its
 * sessions' ends started (ip-down ...) before they get SIGTERM (pppd's
 * child-timeout is 5 s). */
#define HOOK_DRAIN_MS 5000u

void uppp_server_free(struct uppp_server *srv)
{
	if (!srv)
		return;
	server_finish(srv);    /* not stopped yet: as uppp_server_stop(), without the shutdown line */
	if (srv->hooks_ready && uppp_hooks_count(&srv->hooks))
		uppp_hooks_drain(&srv->hooks, HOOK_DRAIN_MS);
	server_cleanup(srv);
	free(srv);
}

int uppp_server_run(const struct uppp_server_config *cfg)
{
	struct uppp_server *srv;
	int rc = uppp_server_new(cfg, &srv);

	if (rc < 0)
		return rc;
	rc = uppp_host_run(&srv->host);
	uppp_server_free(srv);
	return rc;
}
