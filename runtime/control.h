/* runtime/control.h — the server's control socket (docs/control.md): a
 * unix stream socket served by the server's event loop, one request line in,
 * one reply out, then the connection is closed — except `trace`, whose
 * connection is handed to the trace hub (runtime/trace.h) and stays open. Never blocks the loop:
 * non-blocking accept, read and write; at most UPPP_CTL_MAX_CONNS
 * connections at once (more are told "busy" and closed); a connection that
 * has not sent its line within UPPP_CTL_REQUEST_TIMEOUT_MS, or not taken
 * its reply within UPPP_CTL_REPLY_TIMEOUT_MS, is dropped.
 *
 * The verbs are a table (control.c, `verbs`): each is one entry naming its
 * words and its handler; sessions, kill and stats use the server's public
 * API (uppp.h), reload and show config the embedder's
 * struct uppp_server_control_ops. */
#ifndef UPPP_RUNTIME_CONTROL_H
#define UPPP_RUNTIME_CONTROL_H

#include "uppp/uppp.h"
#include "runtime/log.h"
#include "runtime/loop.h"

#define UPPP_CTL_MAX_CONNS 16
#define UPPP_CTL_REQUEST_TIMEOUT_MS 5000
#define UPPP_CTL_REPLY_TIMEOUT_MS 30000
#define UPPP_CTL_REPLY_MAX (64u << 20)    /* the largest reply built (65534 sessions fit) */

struct uppp_control;

struct uppp_control_config {
	const char *path;                           /* the socket file */
	const char *group;                          /* its group name, NULL = ours */
	struct uppp_server *srv;                    /* whose sessions and counters */
	const struct uppp_server_control_ops *ops;  /* NULL: reload / show config unsupported */
	void *ops_ctx;
	struct uppp_loop *loop;
	struct uppp_log *log;
};

/* Makes the socket (the directory /run/uppp first, when that is the
 * path's and it is missing), replacing a stale socket file, and starts
 * serving it in cfg->loop. Logs what failed. 0, or -errno with *out NULL:
 * -EADDRINUSE (a live server answers on path), -EEXIST (path is not a
 * socket), -ENAMETOOLONG, -EINVAL (unknown group), or what socket(),
 * bind() or chown() said. cfg's strings must outlive the control. */
int uppp_control_open(const struct uppp_control_config *cfg, struct uppp_control **out);
/* Closes every connection and the socket, removes the socket file (when it
 * is still ours), frees. NULL: nothing. */
void uppp_control_close(struct uppp_control *c);

#endif
