/* runtime/privdrop.c — drop root, keep CAP_NET_ADMIN (see privdrop.h). */
#define _GNU_SOURCE  /* setresuid, setresgid */
#include "runtime/privdrop.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errcap, const char *fmt, ...)
{
	int e = errno ? errno : EPERM;
	va_list ap;

	if (err && errcap) {
		va_start(ap, fmt);
		vsnprintf(err, errcap, fmt, ap);
		va_end(ap);
	}
	return -e;
}

uint64_t uppp_privdrop_keep_mask(bool keep_net_raw)
{
	uint64_t m = 1ull << CAP_NET_ADMIN;
	if (keep_net_raw)
		m |= 1ull << CAP_NET_RAW;
	return m;
}

static int cap_get(uint64_t *effective, uint64_t *permitted)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d) < 0)
		return -errno;
	*effective = (uint64_t)d[1].effective << 32 | d[0].effective;
	*permitted = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	return 0;
}

static int cap_set(uint64_t keep)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	return syscall(SYS_capset, &hdr, d) < 0 ? -errno : 0;
}

/* user is a name, or a number when no such name exists. */
static int lookup_user(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd pw, *res = NULL;
	char buf[4096], *end;

	if (getpwnam_r(user, &pw, buf, sizeof(buf), &res) == 0 && res) {
		*uid = res->pw_uid;
		*gid = res->pw_gid;
		return 0;
	}
	errno = 0;
	unsigned long n = strtoul(user, &end, 10);
	if (user[0] && !*end && !errno && n < 0xffffffffUL) {
		if (getpwuid_r((uid_t)n, &pw, buf, sizeof(buf), &res) == 0 && res) {
			*uid = res->pw_uid;
			*gid = res->pw_gid;
		} else {
			*uid = (uid_t)n;
			*gid = (gid_t)n;
		}
		return 0;
	}
	return -ENOENT;
}

/* Could uid/gid (no supplementary groups) open path read-write? */
static bool can_rw(const struct stat *st, uid_t uid, gid_t gid)
{
	if (st->st_uid == uid)
		return (st->st_mode & 0600) == 0600;
	if (st->st_gid == gid)
		return (st->st_mode & 0060) == 0060;
	return (st->st_mode & 0006) == 0006;
}

int uppp_privdrop(const char *user, bool keep_net_raw, struct uppp_privdrop_result *res, char *err,
		  size_t errcap)
{
	uint64_t keep = uppp_privdrop_keep_mask(keep_net_raw), eff = 0, perm = 0;
	uid_t uid;
	gid_t gid;
	int rc;

	errno = 0;
	if (lookup_user(user, &uid, &gid) < 0) {
		errno = ENOENT;
		return fail(err, errcap, "no user named '%s' (see /etc/passwd)", user);
	}
	if (uid == 0) {
		errno = EINVAL;
		return fail(err, errcap, "'%s' is root: nothing would be dropped", user);
	}
	if (geteuid() != 0) {
		errno = EPERM;
		return fail(err, errcap, "cannot switch to '%s': not started as root", user);
	}
	/* Every session opens the TUN clone device after the drop. Debian makes
	 * it 0666; if this host does not, say so now rather than at the first
	 * session (keeping CAP_DAC_OVERRIDE instead would keep nearly root). */
	struct stat tun;
	if (stat(UPPP_TUN_DEVICE, &tun) == 0 && !can_rw(&tun, uid, gid)) {
		errno = EACCES;
		return fail(err, errcap, "%s is mode %04o owner %u:%u: user '%s' could not open it after the drop "
			    "(make it 0666, the Debian default, or run without --run-as)",
			    UPPP_TUN_DEVICE, (unsigned)(tun.st_mode & 07777), (unsigned)tun.st_uid,
			    (unsigned)tun.st_gid, user);
	}
	/* Bounding set first (needs CAP_SETPCAP, which we still have): nothing
	 * outside keep can ever come back, not even through an exec. */
	for (int cap = 0; cap < 64; cap++) {
		if (keep & (1ull << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break;  /* past the last capability this kernel knows */
			return fail(err, errcap, "cannot drop capability %d from the bounding set: %s", cap,
				    strerror(errno));
		}
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fail(err, errcap, "prctl(PR_SET_KEEPCAPS): %s", strerror(errno));
	if (setgroups(0, NULL) < 0)
		return fail(err, errcap, "cannot clear supplementary groups: %s", strerror(errno));
	if (setresgid(gid, gid, gid) < 0)
		return fail(err, errcap, "cannot switch to group %u: %s", (unsigned)gid, strerror(errno));
	if (setresuid(uid, uid, uid) < 0)
		return fail(err, errcap, "cannot switch to user %u: %s", (unsigned)uid, strerror(errno));
	if ((rc = cap_set(keep)) < 0) {
		errno = -rc;
		return fail(err, errcap, "capset: %s", strerror(-rc));
	}
	(void)prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail(err, errcap, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));

	/* Check, do not trust: root must be out of reach and only keep left. */
	if (setuid(0) == 0 || getuid() != uid || geteuid() != uid || getgid() != gid) {
		errno = EPERM;
		return fail(err, errcap, "privileges were not dropped (uid 0 still reachable)");
	}
	if ((rc = cap_get(&eff, &perm)) < 0) {
		errno = -rc;
		return fail(err, errcap, "capget: %s", strerror(-rc));
	}
	if ((perm & ~keep) || (eff & ~keep)) {
		errno = EPERM;
		return fail(err, errcap, "capabilities beyond CAP_NET_ADMIN remain (permitted %#llx)",
			    (unsigned long long)perm);
	}
	if (res) {
		res->uid = uid;
		res->gid = gid;
		res->effective = eff;
	}
	return 0;
}

int uppp_file_exposed(const char *path, unsigned *mode)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (mode)
		*mode = (unsigned)(st.st_mode & 07777);
	return (st.st_mode & (S_IRWXG | S_IRWXO)) ? 1 : 0;
}
