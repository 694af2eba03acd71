/* runtime/privdrop.h — least privilege for the server process.
 *
 * The server starts as root, opens what needs root (the packet sockets, the
 * netlink socket, the secrets file), then drops to an ordinary user keeping
 * only CAP_NET_ADMIN: sessions come and go for as long as it runs, and each
 * one creates a TUN (TUNSETIFF) and configures it over netlink. CAP_NET_RAW
 * is needed only to open a packet socket, not to send on one that is open
 * (sending after the drop works without it: test/hostile checks), so it
 * is not kept unless asked for.
 *
 * Plain syscalls (prctl, setgroups, setresgid/setresuid, capset) through
 * <linux/capability.h>: no libcap dependency. Functions return 0 or -errno
 * with one sentence in err. */
#ifndef UPPP_CORE_PRIVDROP_H
#define UPPP_CORE_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The capabilities kept: bit n = capability n (CAP_NET_ADMIN = 12,
 * CAP_NET_RAW = 13). */
uint64_t uppp_privdrop_keep_mask(bool keep_net_raw);

#define UPPP_TUN_DEVICE "/dev/net/tun"

/* What the drop did, for the log line. */
struct uppp_privdrop_result {
	uid_t uid;
	gid_t gid;
	uint64_t effective;    /* capabilities left, read back with capget */
};

/* Switches the whole process to user (name or number) and its primary group, no
 * supplementary groups, with only the capabilities of uppp_privdrop_keep_mask()
 * in the permitted, effective and bounding sets, none inheritable or ambient,
 * and no_new_privs set. Must be called as root (-EPERM otherwise) and before
 * any thread is started. -ENOENT: no such user. -EACCES: the user could
 * not open UPPP_TUN_DEVICE afterwards (its mode is checked first). Verifies the result (uid 0
 * cannot be regained) and returns -EPERM if it can. */
int uppp_privdrop(const char *user, bool keep_net_raw, struct uppp_privdrop_result *res, char *err,
		  size_t errcap);

/* A secrets file other users can read (or write): 1 and its mode in *mode;
 * 0 when only its owner can; -errno when it cannot be stat()ed. */
int uppp_file_exposed(const char *path, unsigned *mode);

#endif
