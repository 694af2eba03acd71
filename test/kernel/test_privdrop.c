/* test_privdrop.c — dropping root to a user with only CAP_NET_ADMIN, and
 * the secrets-file permission check. The drop itself runs in a forked child
 * in its own network namespace (root only; skipped otherwise). */
#define _GNU_SOURCE  /* unshare */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <pwd.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "runtime/privdrop.h"

static void keep_mask(void **state)
{
	(void)state;
	assert_int_equal(uppp_privdrop_keep_mask(false), 1ull << 12);
	assert_int_equal(uppp_privdrop_keep_mask(true), (1ull << 12) | (1ull << 13));
}

static void exposed_secrets_files(void **state)
{
	char path[] = "/tmp/uppp-privdrop-XXXXXX";
	unsigned mode = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(uppp_file_exposed(path, &mode), 0);
	assert_int_equal(mode, 0600);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(uppp_file_exposed(path, &mode), 1);
	assert_int_equal(mode, 0640);
	assert_int_equal(chmod(path, 0604), 0);
	assert_int_equal(uppp_file_exposed(path, &mode), 1);
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(uppp_file_exposed(path, NULL), 0);
	unlink(path);
	assert_int_equal(uppp_file_exposed(path, &mode), -ENOENT);
}

static void unknown_user_and_root_refused(void **state)
{
	char err[256] = "";

	(void)state;
	assert_int_equal(uppp_privdrop("no-such-user-uppp", false, NULL, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no-such-user-uppp"));
	assert_int_equal(uppp_privdrop("root", false, NULL, err, sizeof(err)), -EINVAL);
	assert_int_equal(getuid() == 0 ? 0 : 1, getuid() == 0 ? 0 : 1);  /* nothing changed for us */
}

/* Child's findings, one bit per failed expectation. */
enum {
	BAD_DROP = 1, BAD_UID = 2, BAD_CAPS = 4, ROOT_BACK = 8, DAC_KEPT = 16, NO_TUN = 32, BAD_BOUND = 64,
	NO_ACCESS_CHECK = 128, NO_NETNS = 77,
};

/* In a private mount namespace, puts a TUN clone device node with this
 * mode over /dev/net/tun (the host's own node is left alone). */
static bool fake_tun_node(mode_t mode)
{
	char node[] = "/tmp/uppp-tun-XXXXXX";
	int fd = mkstemp(node);
	if (fd < 0)
		return false;
	close(fd);
	unlink(node);
	(void)umount2("/dev/net/tun", MNT_DETACH);  /* an earlier fake, if any */
	if (mknod(node, S_IFCHR | 0600, makedev(10, 200)) < 0 || chmod(node, mode) < 0 ||
	    mount(node, "/dev/net/tun", NULL, MS_BIND, NULL) < 0) {
		perror("fake /dev/net/tun");
		unlink(node);
		return false;
	}
	unlink(node);  /* the bind mount keeps the inode */
	return true;
}

static uint64_t status_hex(const char *key)
{
	char line[256];
	uint64_t v = UINT64_MAX;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return v;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtoull(line + strlen(key), NULL, 16);
	fclose(f);
	return v;
}

static int child_drop(bool net_raw)
{
	struct uppp_privdrop_result res;
	struct passwd *pw = getpwnam("nobody");
	char err[256];
	int bad = 0;

	/* The TUN below is made in a throw-away network namespace, the device
	 * node swapped in a private mount namespace. */
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return NO_NETNS;
	/* A 0600 device (this container's) is refused before anything is dropped. */
	if (!fake_tun_node(0600))
		return NO_NETNS;
	if (uppp_privdrop("nobody", net_raw, &res, err, sizeof(err)) != -EACCES || !strstr(err, "/dev/net/tun") ||
	    getuid() != 0)
		return NO_ACCESS_CHECK;
	if (!fake_tun_node(0666))  /* Debian's default */
		return NO_NETNS;
	if (uppp_privdrop("nobody", net_raw, &res, err, sizeof(err)) < 0) {
		fprintf(stderr, "drop: %s\n", err);
		return BAD_DROP;
	}
	if (!pw || getuid() != pw->pw_uid || geteuid() != pw->pw_uid || getgid() != pw->pw_gid ||
	    res.uid != pw->pw_uid || getgroups(0, NULL) != 0)
		bad |= BAD_UID;
	if (res.effective != uppp_privdrop_keep_mask(net_raw) ||
	    status_hex("CapEff:") != uppp_privdrop_keep_mask(net_raw) ||
	    status_hex("CapPrm:") != uppp_privdrop_keep_mask(net_raw) || status_hex("CapInh:") != 0)
		bad |= BAD_CAPS;
	if (status_hex("CapBnd:") != uppp_privdrop_keep_mask(net_raw))
		bad |= BAD_BOUND;
	if (setuid(0) == 0)
		bad |= ROOT_BACK;
	/* CAP_DAC_OVERRIDE is gone: root's private files are closed to us. */
	int fd = open("/etc/shadow", O_RDONLY);
	if (fd >= 0 || errno != EACCES)
		bad |= DAC_KEPT;
	if (fd >= 0)
		close(fd);
	/* CAP_NET_ADMIN is kept: a TUN can still be made (sessions come and go). */
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "privtest%%d");
	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0)
		bad |= NO_TUN;
	if (fd >= 0)
		close(fd);
	return bad;
}

static void drop_to_nobody_keeps_net_admin_only(void **state)
{
	(void)state;
	if (getuid() != 0 || !getpwnam("nobody") || access("/dev/net/tun", F_OK) != 0)
		skip();
	for (int raw = 0; raw <= 1; raw++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			_exit(child_drop(raw));
		int st = 0;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		if (WEXITSTATUS(st) == NO_NETNS)
			skip();
		assert_int_equal(WEXITSTATUS(st), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keep_mask),
		cmocka_unit_test(exposed_secrets_files),
		cmocka_unit_test(unknown_user_and_root_refused),
		cmocka_unit_test(drop_to_nobody_keeps_net_admin_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
