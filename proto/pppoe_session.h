/* proto/pppoe_session.h — one PPPoE session carrying one PPP link (RFC 2516
 * §6), the same object for the access concentrator (proto/ac.c) and the client
 * (proto/dial.c). Internal to proto/.
 *
 * Discovery (ac_discovery.c; dial.c's PADI/PADO/PADR/PADS) finds the peer and
 * the session id; from then on both sides do the same, and it is done here,
 * once:
 * - the PPP engine's ops that are no one's business but the session's: a PPP
 *   packet out gets the Ethernet and 6-byte PPPoE session header and goes to
 *   the owner's frame sink (too large: dropped and logged); IP data in goes
 *   to the owner; randomness that fails ends the session (host-error) when
 *   the engine call returns; a host that cannot bring the link up ends it
 *   with the cause it names; the engine's down goes to the owner;
 * - a session frame in (0x8864): code 0, a protocol field, our session id and
 *   the peer's MAC, then the PPP packet to the engine (uppp_pppoe_parse has
 *   checked version, type and the length field against the frame);
 * - PADT with the cause's sentence, at most once and never in answer to the
 *   peer's own PADT;
 * - "settle" after each entry point: closes asked for from inside a
 *   callback, then the engine's next deadline;
 * - the session's log lines: the owner's logger with the prefix
 *   "sess=<id> mac=<peer>" (the AC: many peers) or "sess=<id>" (the client),
 *   and, with `debug`, each control frame sent decoded in pppd's form.
 * What differs between the two owners is in a small const table, struct
 * uppp_pppoe_session_ops: where frames go, what up and down mean to the
 * owner (the AC's session table and counters, the client's dial state),
 * where IP packets go. The server's authentication and address ops stay
 * with the AC, which puts them beside UPPP_PPPOE_SESSION_PPP_OPS in its own
 * struct uppp_ppp_ops.
 *
 * IPv6 (IPv6CP, RFC 5072) needs no second carrier: it is a second NCP of the
 * PPP engine that this carrier embeds (proto/ppp.c, on the one RFC 1661
 * automaton of proto/fsm.c, started in the network phase beside IPCP).
 * Session frames already carry any protocol number both ways
 * (uppp_pppoe_session_input hands every one to uppp_ppp_input; the send op
 * takes one). What this file would gain is one op: IPv6 data (0x0057) for
 * the owner, a deliver_ipv6 beside deliver_ip below (and in struct
 * uppp_ppp_ops), and the owner's up() would learn of the IPv6 link. */
#ifndef UPPP_PROTO_PPPOE_SESSION_H
#define UPPP_PROTO_PPPOE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/logger.h"
#include "proto/ppp.h"
#include "proto/pppoe.h"

struct uppp_pppoe_session;

/* What the owner of a session does; filled once, const. ps is the
 * session, embedded in the owner's own object (the owner finds itself
 * with offsetof). */
struct uppp_pppoe_session_ops {
	bool is_server;               /* the engine authenticates the peer and assigns its address */
	bool name_peer_mac;           /* log lines start "sess=<id> mac=<peer>", else "sess=<id>" */
	/* The owner's transmit buffer, where frames are built (shared by its
	 * sessions): UPPP_PPPOE_FRAME_MAX bytes. */
	uint8_t *(*tx_buffer)(struct uppp_pppoe_session *ps);
	/* The owner's logger, which the session's lines go to behind its
	 * prefix (the one given to uppp_pppoe_session_init). */
	const struct uppp_logger *(*logger)(struct uppp_pppoe_session *ps);
	/* A whole Ethernet frame, built in the owner's tx buffer, for the wire. */
	void (*send_frame)(struct uppp_pppoe_session *ps, const uint8_t *frame, size_t len);
	/* An IP packet from the peer (only while the session lives); may be
	 * modified in place. */
	void (*deliver_ip)(struct uppp_pppoe_session *ps, uint8_t *pkt, size_t len);
	/* len random bytes into buf: 0 or -errno (the session then ends with
	 * host-error when the engine call returns; the carrier logs it). */
	int (*random)(struct uppp_pppoe_session *ps, void *buf, size_t len);
	/* IPCP reached Opened (again after a renegotiation): UPPP_CAUSE_NONE,
	 * or the cause to close the link with (the owner logs why). */
	enum uppp_cause (*up)(struct uppp_pppoe_session *ps, const struct uppp_ppp_link *link);
	/* The engine is finished (once, its last act): the owner ends the
	 * session — sets dead, sends PADT (uppp_pppoe_session_send_padt) — and
	 * frees it only after the entry point returns. */
	void (*down)(struct uppp_pppoe_session *ps, enum uppp_cause cause);
};

/* Embedded in the owner's object (no allocation); treat the fields as the
 * owner's to read, and to write where said. Must not move once opened (the
 * PPP engine points back into it). */
struct uppp_pppoe_session {
	const struct uppp_pppoe_session_ops *ops;
	struct uppp_ppp ppp;              /* the link it carries; ctx of its ops is this session;
					   * ppp.env.cfg is the owner's template from init on (its
					   * is_server is not read) */
	/* the session's logger: the owner's level, each line handed to the
	 * owner's logger (ops->logger) behind the prefix "sess=<id> mac=<peer>"
	 * or "sess=<id>", made when a line is written (no text kept) */
	struct uppp_logger log;
	uint8_t close_pending;            /* enum uppp_cause: close asked from inside a callback;
					   * settle runs it */
	uint16_t id;                      /* PPPoE session id, from discovery */
	uint8_t our_mac[6], peer_mac[6];
	bool dead;                        /* owner: ended; nothing more is sent or delivered */
	bool peer_padt;                   /* owner: the peer ended it with PADT: none back */
	bool silent;                      /* owner: send nothing at all (the AC freed with sessions up) */
	bool padt_sent;
};

/* Prepares ps for session id between our_mac and peer_mac: points at the
 * PPP config template ppp (not copied: an AC's sessions share their owner's;
 * its is_server is not read, ops->is_server says); log is the owner's
 * logger, as ops->logger gives it back (its lines get the session's
 * prefix). ppp, log and ops must outlive ps. Sends nothing: uppp_pppoe_session_open starts the link. */
void uppp_pppoe_session_init(struct uppp_pppoe_session *ps, const struct uppp_pppoe_session_ops *ops,
			     const struct uppp_ppp_config *ppp, const struct uppp_logger *log,
			     const uint8_t our_mac[6], const uint8_t peer_mac[6], uint16_t id);
/* The session is established (PADS sent or received): the PPP engine with
 * ppp_ops (UPPP_PPPOE_SESSION_PPP_OPS and, for a server, its own
 * authentication and address ops, each called with ctx = ps) starts LCP.
 * The owner settles afterwards. */
void uppp_pppoe_session_open(struct uppp_pppoe_session *ps, const struct uppp_ppp_ops *ppp_ops, uint64_t now);
/* One session frame f (parsed from frame by uppp_pppoe_parse: version, type
 * and length already checked) for ps, or for no session (ps NULL: none has
 * f's id). Returns 0 when the PPP packet went to the engine (the owner
 * settles afterwards), -EBADMSG when the frame is no PPP packet (code not 0,
 * no protocol field: RFC 2516 §6), -ENOENT when it is not for a live session
 * of ours (no session, an ended one, another id, another source MAC). Our
 * MAC as destination is the owner's check. frame may be changed in place
 * (MSS clamp). */
int uppp_pppoe_session_input(struct uppp_pppoe_session *ps, uint8_t *frame, const struct uppp_pppoe_frame *f,
			     uint64_t now);
/* After each call into the engine: runs a close asked for from a callback
 * (its Terminate-Request goes out now), and returns the engine's next
 * deadline (UPPP_NO_DEADLINE once the session has ended). */
uint64_t uppp_pppoe_session_settle(struct uppp_pppoe_session *ps, uint64_t now);
/* PADT to the peer with the cause's sentence as Generic-Error (RFC 2516
 * §5.5), unless the peer sent one, one went already, or ps is silent.
 * Returns whether one was due (and sent). */
bool uppp_pppoe_session_send_padt(struct uppp_pppoe_session *ps, enum uppp_cause cause);

/* The PPP engine's ops the carrier answers (ctx = the struct
 * uppp_pppoe_session). */
void uppp_pppoe_session_ppp_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len);
void uppp_pppoe_session_ppp_deliver_ip(void *ctx, uint8_t *pkt, size_t len);
int uppp_pppoe_session_ppp_random(void *ctx, void *buf, size_t len);
void uppp_pppoe_session_ppp_up(void *ctx, const struct uppp_ppp_link *link);
void uppp_pppoe_session_ppp_down(void *ctx, enum uppp_cause cause);
/* Those five, as designated initialisers for an owner's struct uppp_ppp_ops. */
#define UPPP_PPPOE_SESSION_PPP_OPS                                                         \
	.send = uppp_pppoe_session_ppp_send, .deliver_ip = uppp_pppoe_session_ppp_deliver_ip, \
	.random = uppp_pppoe_session_ppp_random, .up = uppp_pppoe_session_ppp_up,            \
	.down = uppp_pppoe_session_ppp_down
/* Just those five: a client's (no secrets to look up, no address to give). */
extern const struct uppp_ppp_ops uppp_pppoe_session_ppp_ops;

/* `debug`: one discovery or PPP control frame decoded on one line in pppd's
 * form through lg (no prefix of its own): "sess=<id> mac=<peer> <dir>
 * [LCP ConfReq id=0x1 <mru 1492>]", without "mac=<peer>" when name_mac is
 * false; the peer is the destination of a frame sent ("sent") and the source
 * of one received. IP data and frames that do not parse are not logged. The
 * caller checks `debug` first: nothing is formatted otherwise. */
void uppp_pppoe_log_frame(const struct uppp_logger *lg, const char *dir, const uint8_t *frame, size_t len,
			  bool name_mac);

#endif
