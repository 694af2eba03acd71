/* cli/doctor.c — `uppp doctor -I IFACE`: looks at this host (network
 * namespace) the way a client's failure would, check by check, and says for
 * each what is wrong and what to do. Reads sysfs, procfs, getifaddrs() and
 * runs `nft list ruleset` as a child; changes nothing. The exit status is
 * the number of problems (0 = healthy, at most 125); 126 means doctor
 * itself could not run. Plain libc and the public API only (cli/). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/doctor.h"
#include "uppp/cmdline.h"

enum verdict { V_OK, V_PROBLEM, V_UNCHECKED };

#define MAX_FINDINGS 48

struct finding {
	const char *id;
	enum verdict v;
	char text[640];
	char fix[400];
};

struct doctor {
	const char *ifname;
	struct doctor_range pool;
	const char *secrets;       /* --secrets, or NULL: options_dir's files */
	const char *options_dir;
	const char *auth;          /* pap, chap, mschapv2, none */
	bool json;
	int ifindex;               /* 0: the interface does not exist */
	struct finding f[MAX_FINDINGS];
	unsigned n;
};

static void add(struct doctor *d, const char *id, enum verdict v, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add(struct doctor *d, const char *id, enum verdict v, const char *fix, const char *fmt, ...)
{
	if (d->n == MAX_FINDINGS)
		return;
	struct finding *f = &d->f[d->n++];
	va_list ap;

	f->id = id;
	f->v = v;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	snprintf(f->fix, sizeof(f->fix), "%s", fix ? fix : "");
	/* names from the system (interfaces, processes, paths) reach a terminal:
	 * no control bytes */
	for (char *c = f->text; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	for (char *c = f->fix; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

/* The first line of a small file, without its newline. 0, or -errno. */
static int read_line(const char *path, char *buf, size_t cap)
{
	FILE *fp = fopen(path, "re");
	if (!fp)
		return -errno;
	int rc = fgets(buf, (int)cap, fp) ? 0 : -EIO;
	if (rc == 0 && ferror(fp))
		rc = -EIO;
	fclose(fp);
	if (rc == 0)
		buf[strcspn(buf, "\n")] = '\0';
	return rc;
}

static int read_sys_if(const char *ifname, const char *attr, char *buf, size_t cap)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, attr);
	return read_line(path, buf, cap);
}

static long read_sys_if_num(const char *ifname, const char *attr, int base, long dflt)
{
	char buf[64], *end;
	if (read_sys_if(ifname, attr, buf, sizeof(buf)) < 0)
		return dflt;
	long v = strtol(buf, &end, base);
	return end == buf ? dflt : v;
}

static bool is_tun(const char *ifname)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", ifname);
	return access(path, F_OK) == 0;
}

/* Scratch for one file's text at a time (/proc/net/packet and route, a
 * secrets file): the checks run one after the other. */
static char scratch[1 << 20];

/* Reads a whole file (at most cap-1 bytes) into buf. 0, or -errno. */
static int read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? -errno : 0;
			close(fd);
			buf[n] = '\0';
			return e;
		}
		n += (size_t)r;
		if (n == cap - 1) {
			close(fd);
			buf[n] = '\0';
			return 0;
		}
	}
}

/* ---- 1. the interface: exists, Ethernet, up, carrier ---------------- */

static void check_interface(struct doctor *d)
{
	const char *i = d->ifname;
	long flags;

	d->ifindex = (int)read_sys_if_num(i, "ifindex", 10, 0);
	if (d->ifindex <= 0) {
		d->ifindex = 0;
		add(d, "interface", V_PROBLEM, "give -I the Ethernet interface that faces the clients (`ip link` lists them)",
		    "%s does not exist in this network namespace: uppp cannot start, clients get no PADO (Windows error 651)", i);
		return;
	}
	flags = read_sys_if_num(i, "flags", 16, 0);
	char oper[32] = "unknown";
	read_sys_if(i, "operstate", oper, sizeof(oper));
	if (!(flags & 0x1)) {   /* IFF_UP */
		char fix[96];
		snprintf(fix, sizeof(fix), "ip link set %s up", i);
		add(d, "interface", V_PROBLEM, fix,
		    "%s is down: no PADI reaches uppp, clients get no PADO (Windows error 651)", i);
	} else {
		add(d, "interface", V_OK, NULL, "%s exists and is up (operstate %s)", i, oper);
	}
	long type = read_sys_if_num(i, "type", 10, -1);
	if (type != 1)   /* ARPHRD_ETHER */
		add(d, "ethernet", V_PROBLEM, "run uppp on the Ethernet interface (or VLAN device) the clients are on",
		    "%s is not an Ethernet interface (link type %ld): PPPoE runs over Ethernet only", i, type);
	else
		add(d, "ethernet", V_OK, NULL, "%s is an Ethernet interface", i);
	if (!(flags & 0x1)) {
		add(d, "carrier", V_UNCHECKED, NULL, "%s is down: its carrier is not known", i);
		return;
	}
	if (read_sys_if_num(i, "carrier", 10, 1) == 0)
		add(d, "carrier", V_PROBLEM,
		    "check the cable, the switch port or the other end of the link (for a veth or VM network: is its peer up?)",
		    "%s has no carrier: nothing reaches it, clients get no PADO (Windows error 651)", i);
	else
		add(d, "carrier", V_OK, NULL, "%s has a carrier", i);
}

/* ---- 2. MTU ---------------------------------------------------------- */

static void check_mtu(struct doctor *d)
{
	long mtu = read_sys_if_num(d->ifname, "mtu", 10, -1);

	if (mtu < 0) {
		add(d, "mtu", V_UNCHECKED, NULL, "cannot read %s's MTU", d->ifname);
		return;
	}
	unsigned mru = doctor_mru_for_mtu((unsigned)mtu);
	if (mtu >= 1500) {
		add(d, "mtu", V_OK, NULL, "%s's MTU is %ld: clients are offered MRU %u", d->ifname, mtu, mru);
		return;
	}
	char fix[256];
	snprintf(fix, sizeof(fix), "ip link set %s mtu 1500 (and the switch or VM network behind it); or keep it "
		 "and keep MSS clamping on (the default)", d->ifname);
	add(d, "mtu", V_PROBLEM, fix,
	    "%s's MTU is %ld < 1500: clients are offered MRU %u (MTU - 8 for the PPPoE header) instead of 1492; "
	    "a client that insists on 1492 does not finish LCP (Windows error 734), and full-size packets "
	    "need fragmentation or PMTU discovery", d->ifname, mtu, mru);
}

/* ---- 3. a port of a bridge, bond or team ----------------------------- */

static void check_enslaved(struct doctor *d)
{
	char path[PATH_MAX], target[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/class/net/%s/master", d->ifname);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		add(d, "enslaved", V_OK, NULL, "%s is not a port of a bridge, bond or team", d->ifname);
		return;
	}
	target[n] = '\0';
	char master[64];
	snprintf(master, sizeof(master), "%.63s", strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
	char probe[128];
	const char *kind = "team or other master";
	snprintf(probe, sizeof(probe), "/sys/class/net/%s/bridge", master);
	if (access(probe, F_OK) == 0)
		kind = "bridge";
	snprintf(probe, sizeof(probe), "/sys/class/net/%s/bonding", master);
	if (access(probe, F_OK) == 0)
		kind = "bond";
	char fix[200];
	snprintf(fix, sizeof(fix), "run uppp on %s (-I %s), where the frames arrive", master, master);
	/* Measured (Linux 6.18, a veth in a bridge): a packet socket bound to
	 * 0x8863 on the port receives no PADI, one on the bridge does; only an
	 * ETH_P_ALL tap on the port still sees it. */
	add(d, "enslaved", V_PROBLEM, fix,
	    "%s is a port of %s %s: the %s takes its frames, so PPPoE discovery (0x8863) is delivered on %s, not "
	    "on %s (a server bound to 0x8863 there hears no PADI: Windows error 651), and replies sent past "
	    "the %s bypass it", d->ifname, kind, master, kind, master, d->ifname, kind);
}

/* ---- 4. /dev/net/tun ------------------------------------------------- */

static void check_tun(struct doctor *d)
{
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		add(d, "tun", V_OK, NULL, "/dev/net/tun opens");
		return;
	}
	int e = errno;
	if (e == ENOENT || e == ENODEV || e == ENXIO)
		add(d, "tun", V_PROBLEM, "modprobe tun (and mknod /dev/net/tun c 10 200 in a container)",
		    "/dev/net/tun cannot be opened (%s): the tun module is not loaded or the device node is missing; "
		    "sessions cannot get an interface and end at once after IPCP", strerror(e));
	else
		add(d, "tun", V_PROBLEM, "run uppp as root or with CAP_NET_ADMIN (a container needs the device allowed)",
		    "/dev/net/tun cannot be opened (%s): sessions cannot get an interface", strerror(e));
}

/* ---- 5. forwarding --------------------------------------------------- */

static void check_ip_forward(struct doctor *d)
{
	char v[16];
	int rc = read_line("/proc/sys/net/ipv4/ip_forward", v, sizeof(v));

	if (rc < 0)
		add(d, "ip_forward", V_UNCHECKED, NULL, "cannot read /proc/sys/net/ipv4/ip_forward: %s", strerror(-rc));
	else if (strcmp(v, "1") != 0)
		add(d, "ip_forward", V_PROBLEM,
		    "sysctl -w net.ipv4.ip_forward=1 (and net.ipv4.ip_forward=1 in /etc/sysctl.d/ to keep it)",
		    "net.ipv4.ip_forward is %s in this network namespace: clients connect but reach nothing beyond "
		    "this host (Windows shows \"connected, no internet\")", v);
	else
		add(d, "ip_forward", V_OK, NULL, "net.ipv4.ip_forward is 1");
}

/* ---- 6. NAT for the pool --------------------------------------------- */

#define NFT_OUT_MAX (4u << 20)

/* Runs `nft list ruleset`; its output in *out (malloc'd). 0, -ENOENT when
 * nft is not installed, or -EIO (nft failed: *status). */
static int run_nft(char **out, int *status)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return e;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		dup2(pipefd[1], 1);
		if (null >= 0)
			dup2(null, 2);
		execlp("nft", "nft", "list", "ruleset", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (buf && n + 1 == cap && cap < NFT_OUT_MAX) {
			char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				buf = NULL;
			} else {
				buf = b;
				cap *= 2;
			}
		}
		char sink[4096];
		ssize_t r = buf && n + 1 < cap ? read(pipefd[0], buf + n, cap - 1 - n) : read(pipefd[0], sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (buf && n + 1 < cap)
			n += (size_t)r;
	}
	close(pipefd[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!buf)
		return -ENOMEM;
	buf[n] = '\0';
	*status = st;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		free(buf);
		return -ENOENT;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	return 0;
}

static void check_nat(struct doctor *d)
{
	char lo[16], hi[16], fix[320], what[400];
	char *rules = NULL;
	int status = 0;

	doctor_ip_str(d->pool.lo, lo);
	doctor_ip_str(d->pool.hi, hi);
	snprintf(fix, sizeof(fix),
		 "nft add table ip nat; nft 'add chain ip nat postrouting { type nat hook postrouting priority 100; }'; "
		 "nft add rule ip nat postrouting ip saddr %s-%s oifname UPLINK masquerade", lo, hi);
	int rc = run_nft(&rules, &status);
	if (rc == -ENOENT) {
		add(d, "nat", V_UNCHECKED, "install nftables (it also shows iptables-nft's rules), or look yourself: "
		    "iptables -t nat -S POSTROUTING",
		    "nft is not installed: cannot tell whether a MASQUERADE/SNAT rule covers the pool %s-%s", lo, hi);
		return;
	}
	if (rc < 0) {
		add(d, "nat", V_UNCHECKED, "run doctor as root (nft needs CAP_NET_ADMIN to list the rules)",
		    "`nft list ruleset` failed (%s): cannot tell whether a MASQUERADE/SNAT rule covers the pool %s-%s",
		    rc == -EIO ? "exit status not 0" : strerror(-rc), lo, hi);
		return;
	}
	if (doctor_nft_covers(rules, d->pool, what, sizeof(what)))
		add(d, "nat", V_OK, NULL, "the pool %s-%s is source-NATed: %s", lo, hi, what);
	else
		add(d, "nat", V_PROBLEM, fix,
		    "no MASQUERADE or SNAT rule covers the pool %s-%s (nftables and iptables-nft; iptables-legacy rules "
		    "are not visible to nft): clients with private addresses connect but reach nothing beyond this "
		    "host (Windows shows \"connected, no internet\")", lo, hi);
	free(rules);
}

/* ---- 7. another PPPoE server on the interface ------------------------ */

struct owner {
	pid_t pid;
	char comm[32];
	char role[16];   /* uppp's argv[1]: server or client */
};

/* The process that holds the socket with this inode, if we can see it. */
static bool find_owner(unsigned long inode, struct owner *o)
{
	char want[48];
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	DIR *proc = opendir("/proc");
	if (!proc)
		return false;
	bool found = false;
	for (struct dirent *de; !found && (de = readdir(proc));) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == (long)getpid())
			continue;
		char fdpath[64];
		snprintf(fdpath, sizeof(fdpath), "/proc/%ld/fd", pid);
		DIR *fds = opendir(fdpath);
		if (!fds)
			continue;
		for (struct dirent *fe; (fe = readdir(fds));) {
			char lpath[320], target[64];
			snprintf(lpath, sizeof(lpath), "%s/%s", fdpath, fe->d_name);
			ssize_t n = readlink(lpath, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (strcmp(target, want) == 0) {
				found = true;
				break;
			}
		}
		closedir(fds);
		if (found) {
			char path[64], cmd[256];
			o->pid = (pid_t)pid;
			snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
			if (read_line(path, o->comm, sizeof(o->comm)) < 0)
				snprintf(o->comm, sizeof(o->comm), "?");
			for (char *c = o->comm; *c; c++)   /* a process names itself: no control bytes on our terminal */
				if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\')
					*c = '?';
			o->role[0] = '\0';
			snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				ssize_t r = read(fd, cmd, sizeof(cmd) - 1);
				close(fd);
				if (r > 0) {
					cmd[r] = '\0';
					size_t first = strlen(cmd);
					if ((ssize_t)first + 1 < r)
						snprintf(o->role, sizeof(o->role), "%s", cmd + first + 1);
				}
			}
		}
	}
	closedir(proc);
	return found;
}

static bool is_pppoe_server_name(const struct owner *o)
{
	static const char *const names[] = { "pppoe-server", "accel-pppd", "pppoe-relay", "pppoe-sniff" };
	if (!strcmp(o->comm, "uppp"))
		return strcmp(o->role, "client") != 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(o->comm, names[i]))
			return true;
	return false;
}

static void check_other_server(struct doctor *d)
{
	char *text = scratch;
	int rc = read_text("/proc/net/packet", text, sizeof(scratch));
	if (rc < 0) {
		add(d, "other_server", V_UNCHECKED, NULL, "cannot read /proc/net/packet: %s", strerror(-rc));
		return;
	}
	unsigned found = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		struct doctor_packet_sock s;
		if (doctor_parse_packet_line(line, &s) < 0)
			continue;
		if (s.ifindex != 0 && s.ifindex != d->ifindex)
			continue;
		bool discovery = s.proto == 0x8863;
		if (!discovery && s.proto != 0x0003 && s.proto != 0x8864)
			continue;
		struct owner o;
		bool known = find_owner(s.inode, &o);
		if (!known) {
			if (discovery) {
				add(d, "other_server", V_PROBLEM, "find it with `ss -0 -p` or `lsof -i`; stop it",
				    "a process we cannot see (another PID namespace?) listens for PPPoE discovery (0x8863) on %s",
				    s.ifindex ? d->ifname : "every interface");
				found++;
			}
			continue;
		}
		if (!discovery && !is_pppoe_server_name(&o))
			continue;   /* a sniffer (tcpdump, dhclient) taps every frame: no competitor */
		if (!strcmp(o.comm, "uppp") && !strcmp(o.role, "client"))
			continue;
		char fix[200];
		snprintf(fix, sizeof(fix), "stop it (kill %ld) or move one of the two to another interface; if it is the "
			 "uppp server you are checking, this is expected", (long)o.pid);
		add(d, "other_server", V_PROBLEM, fix,
		    "%s%s%s (pid %ld) listens for PPPoE on %s: two servers on one segment race for every PADI; clients "
		    "that pick the other one fail with its errors (Windows 651 or 691)",
		    o.comm, o.role[0] && !strcmp(o.comm, "uppp") ? " " : "", !strcmp(o.comm, "uppp") ? o.role : "",
		    (long)o.pid, s.ifindex ? d->ifname : "every interface");
		found++;
	}
	if (!found)
		add(d, "other_server", V_OK, NULL, "no other PPPoE server listens on %s", d->ifname);
}

/* ---- 8. secrets files ------------------------------------------------ */

static void check_secrets_file(struct doctor *d, const char *path, bool needed, const char *why)
{
	struct stat st;
	char fix[PATH_MAX + 64];

	if (stat(path, &st) < 0) {
		if (needed)
			add(d, "secrets", V_PROBLEM, "create it: one line per client, `user * password *`, mode 0600",
			    "%s does not exist (%s reads it): uppp refuses to start, or every login fails (Windows error 691)",
			    path, why);
		return;
	}
	if (doctor_secrets_mode_bad(st.st_mode)) {
		snprintf(fix, sizeof(fix), "chmod 600 %s", path);
		add(d, "secrets", V_PROBLEM, fix, "%s is mode %04o: other users may read or change the passwords", path,
		    (unsigned)(st.st_mode & 07777));
		return;
	}
	char *text = scratch;
	int rc = read_text(path, text, sizeof(scratch));
	if (rc < 0) {
		add(d, "secrets", V_PROBLEM, "run doctor (and uppp) as the user that owns the file",
		    "%s cannot be read: %s", path, strerror(-rc));
		return;
	}
	unsigned n = doctor_secrets_entries(text);
	if (needed && n == 0)
		add(d, "secrets", V_PROBLEM, "add a line per client: `user * password *` (user, server, secret, addresses)",
		    "%s has no entries: every login fails (Windows error 691)", path);
	else
		add(d, "secrets", V_OK, NULL, "%s is mode %04o with %u entr%s%s", path, (unsigned)(st.st_mode & 07777), n,
		    n == 1 ? "y" : "ies", needed ? "" : " (not read with this --auth)");
}

static void check_secrets(struct doctor *d)
{
	bool none = !strcmp(d->auth, "none");
	char why[64];

	snprintf(why, sizeof(why), "--auth %s", d->auth);
	if (d->secrets) {
		check_secrets_file(d, d->secrets, !none, why);
		return;
	}
	char chap[PATH_MAX], pap[PATH_MAX];
	snprintf(chap, sizeof(chap), "%s/chap-secrets", d->options_dir);
	snprintf(pap, sizeof(pap), "%s/pap-secrets", d->options_dir);
	bool pap_auth = !strcmp(d->auth, "pap");
	unsigned before = d->n;
	check_secrets_file(d, chap, !none && !pap_auth, why);
	check_secrets_file(d, pap, !none && pap_auth, why);
	if (d->n == before)
		add(d, "secrets", V_OK, NULL, "--auth none: no secrets file is needed");
}

/* ---- 9. the pool against routes and addresses ------------------------ */

static void check_pool_overlap(struct doctor *d)
{
	char lo[16], hi[16], a[16], b[16];
	unsigned found = 0;

	doctor_ip_str(d->pool.lo, lo);
	doctor_ip_str(d->pool.hi, hi);
	char *text = scratch;
	int rc = read_text("/proc/net/route", text, sizeof(scratch));
	if (rc < 0) {
		add(d, "pool_overlap", V_UNCHECKED, NULL, "cannot read /proc/net/route: %s", strerror(-rc));
		return;
	}
	bool have_default = false;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		struct doctor_route r;
		if (doctor_parse_route_line(line, &r) < 0 || !r.up)
			continue;
		if (r.prefix_len == 0) {
			have_default = true;
			continue;
		}
		/* a session of a running uppp (per-session TUN or the shared one's /32s) */
		if (is_tun(r.ifname) || !doctor_ranges_overlap(r.dst, d->pool))
			continue;
		char fix[200];
		snprintf(fix, sizeof(fix), "choose a pool outside %s/%u (-R/-N or --pool), or remove that route",
			 doctor_ip_str(r.dst.lo, a), r.prefix_len);
		add(d, "pool_overlap", V_PROBLEM, fix,
		    "the pool %s-%s overlaps the route %s/%u dev %s: hosts there and clients would share addresses, "
		    "and traffic for a client not yet up leaves by %s", lo, hi, a, r.prefix_len, r.ifname, r.ifname);
		found++;
	}
	struct ifaddrs *ifa = NULL;
	if (getifaddrs(&ifa) == 0) {
		for (struct ifaddrs *p = ifa; p; p = p->ifa_next) {
			if (!p->ifa_addr || p->ifa_addr->sa_family != AF_INET || is_tun(p->ifa_name))
				continue;
			uint32_t ip = ntohl(((struct sockaddr_in *)p->ifa_addr)->sin_addr.s_addr);
			if (ip < d->pool.lo || ip > d->pool.hi)
				continue;
			add(d, "pool_overlap", V_PROBLEM, "choose a pool that leaves out this host's addresses (-R/-N or --pool)",
			    "the pool %s-%s holds %s, an address of %s: the client given it cannot be reached", lo, hi,
			    doctor_ip_str(ip, b), p->ifa_name);
			found++;
		}
		freeifaddrs(ifa);
	}
	if (!found)
		add(d, "pool_overlap", V_OK, NULL, "the pool %s-%s overlaps no route or address of this host", lo, hi);
	/* 10. connected but no internet: nowhere to forward to */
	if (have_default)
		add(d, "default_route", V_OK, NULL, "this host has a default route");
	else
		add(d, "default_route", V_PROBLEM, "ip route add default via GATEWAY (the uplink's router)",
		    "this host has no default route: clients reach only the networks it is on (Windows shows "
		    "\"connected, no internet\")");
}

/* ---- output ---------------------------------------------------------- */

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void print_json(const struct doctor *d, FILE *out)
{
	fputs("[", out);
	for (unsigned i = 0; i < d->n; i++) {
		const struct finding *f = &d->f[i];
		fprintf(out, "%s\n  {\"id\": ", i ? "," : "");
		json_str(out, f->id);
		fprintf(out, ", \"ok\": %s, \"finding\": ", f->v == V_OK ? "true" : f->v == V_PROBLEM ? "false" : "null");
		json_str(out, f->text);
		fputs(", \"fix\": ", out);
		if (f->fix[0])
			json_str(out, f->fix);
		else
			fputs("null", out);
		fputs("}", out);
	}
	fputs("\n]\n", out);
}

static void print_text(const struct doctor *d, FILE *out, unsigned problems)
{
	bool tty = isatty(fileno(out));
	bool colour = tty && !getenv("NO_COLOR");
	char lo[16], hi[16];

	fprintf(out, "uppp doctor: %s, pool %s-%s\n", d->ifname, doctor_ip_str(d->pool.lo, lo),
		doctor_ip_str(d->pool.hi, hi));
	for (unsigned i = 0; i < d->n; i++) {
		const struct finding *f = &d->f[i];
		const char *mark, *on = "", *off = "";
		if (f->v == V_OK)
			mark = tty ? "\u2713" : "ok";
		else if (f->v == V_PROBLEM)
			mark = tty ? "\u2717" : "PROBLEM";
		else
			mark = tty ? "?" : "unchecked";
		if (colour) {
			on = f->v == V_OK ? "\033[32m" : f->v == V_PROBLEM ? "\033[31m" : "\033[33m";
			off = "\033[0m";
		}
		fprintf(out, "%s%-*s%s %s: %s\n", on, tty ? 1 : 9, mark, off, f->id, f->text);
		if (f->v != V_OK && f->fix[0])
			fprintf(out, "%*s fix: %s\n", tty ? 1 : 9, "", f->fix);
	}
	if (problems)
		fprintf(out, "%u problem%s found\n", problems, problems == 1 ? "" : "s");
	else
		fprintf(out, "no problems found\n");
}

/* ---- command line ---------------------------------------------------- */

static const char doctor_usage[] =
	"Usage: uppp doctor -I IFACE [OPTIONS]\n"
	"\n"
	"Checks what makes PPPoE clients fail before they reach uppp, in this network\n"
	"namespace, and says for each problem what to do; changes nothing. Exit status:\n"
	"the number of problems found (0 = healthy, at most 125); 126 = doctor could not\n"
	"run (a bad command line).\n"
	"\n"
	"Checks: interface, ethernet, carrier, mtu, enslaved (port of a bridge/bond),\n"
	"tun (/dev/net/tun), ip_forward, nat (a MASQUERADE/SNAT rule covering the pool,\n"
	"read with `nft list ruleset`), other_server (another PPPoE server on IFACE),\n"
	"secrets (mode, presence, entries), pool_overlap (routes, addresses),\n"
	"default_route.\n"
	"\n"
	"  -I, --interface IFACE        the interface `uppp server -I` uses (required)\n"
	"  -R, --remote ADDR            the pool's first address, as `uppp server -R` (default 10.0.0.2)\n"
	"  -N, --count N                the pool's size, as `uppp server -N` (default 20)\n"
	"  -L, --local ADDR             accepted as `uppp server -L`, so its flags can be pasted\n"
	"      --pool A.B.C.D/N         the clients' addresses as a prefix, instead of -R/-N\n"
	"      --auth pap|chap|mschapv2|none\n"
	"                               the server's --auth (default chap): which secrets file it needs\n"
	"      --secrets FILE           the server's --secrets (default DIR/chap-secrets, or\n"
	"                               DIR/pap-secrets for --auth pap)\n"
	"      --options-dir DIR        the server's --options-dir (default /etc/ppp)\n"
	"      --json                   a JSON array of {id, ok, finding, fix} (ok null: not checked)\n"
	"  -h, --help                   this text\n";

enum { OPT_POOL = 300, OPT_AUTH, OPT_SECRETS, OPT_OPTIONS_DIR, OPT_JSON };

/* test/cli/test_cli.sh checks that --help describes every name here. */
static const struct option doctor_longopts[] = {
	{ "interface", required_argument, NULL, 'I' }, { "remote", required_argument, NULL, 'R' },
	{ "count", required_argument, NULL, 'N' }, { "local", required_argument, NULL, 'L' },
	{ "pool", required_argument, NULL, OPT_POOL }, { "auth", required_argument, NULL, OPT_AUTH },
	{ "secrets", required_argument, NULL, OPT_SECRETS }, { "options-dir", required_argument, NULL, OPT_OPTIONS_DIR },
	{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* As every verb's usage errors, but with doctor's exit status: 2 would read
 * as "two problems found". */
static int usage_error(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uppp_cmdline_usage_error(stderr, "doctor", "%s", msg);
	return DOCTOR_EXIT_CANNOT_RUN;
}

static int parse_args(struct doctor *d, int argc, char **argv, bool *help)
{
	struct doctor_range r;
	uint32_t first = 0x0a000002;   /* uppp server's defaults: -R 10.0.0.2 -N 20 */
	unsigned long count = 20;
	bool range_flags = false, pool_flag = false;
	int c;

	d->options_dir = "/etc/ppp";
	d->auth = "chap";
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":I:R:N:L:h", doctor_longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'I':
			/* it names files under /sys/class/net/ */
			if (!*optarg || strlen(optarg) >= 16 || strchr(optarg, '/') || !strcmp(optarg, ".") ||
			    !strcmp(optarg, ".."))
				return usage_error("-I: '%s' is not an interface name", optarg);
			d->ifname = optarg;
			break;
		case 'R':
			if (doctor_parse_cidr(optarg, &r) < 0 || strchr(optarg, '/'))
				return usage_error("-R: '%s' is not an IPv4 address", optarg);
			first = r.lo;
			range_flags = true;
			break;
		case 'N':
			errno = 0;
			count = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || count == 0 || count > 65535)
				return usage_error("-N: '%s' is not a count from 1 to 65535", optarg);
			range_flags = true;
			break;
		case 'L':
			if (doctor_parse_cidr(optarg, &r) < 0 || strchr(optarg, '/'))
				return usage_error("-L: '%s' is not an IPv4 address", optarg);
			break;
		case OPT_POOL:
			if (doctor_parse_cidr(optarg, &d->pool) < 0)
				return usage_error("--pool: '%s' is not A.B.C.D/N", optarg);
			pool_flag = true;
			break;
		case OPT_AUTH:
			if (strcmp(optarg, "pap") && strcmp(optarg, "chap") && strcmp(optarg, "mschapv2") &&
			    strcmp(optarg, "mschap-v2") && strcmp(optarg, "none"))
				return usage_error("--auth: '%s' is not one of pap, chap, mschapv2, none", optarg);
			d->auth = optarg;
			break;
		case OPT_SECRETS: d->secrets = optarg; break;
		case OPT_OPTIONS_DIR: d->options_dir = optarg; break;
		case OPT_JSON: d->json = true; break;
		case 'h': *help = true; return 0;
		case ':': return usage_error("%s needs a value", argv[optind - 1]);
		default: return usage_error("unknown flag '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!d->ifname)
		return usage_error("%s", "-I IFACE is required");
	if (pool_flag && range_flags)
		return usage_error("%s", "--pool or -R/-N, not both");
	if (!pool_flag) {
		if ((uint64_t)first + count - 1 > 0xffffffffu)
			return usage_error("%s", "-R/-N: the pool runs past 255.255.255.255");
		d->pool = (struct doctor_range){ first, (uint32_t)(first + count - 1) };
	}
	return 0;
}

int doctor_main(int argc, char **argv)
{
	static struct doctor d;
	bool help = false;

	memset(&d, 0, sizeof(d));
	int rc = parse_args(&d, argc, argv, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(doctor_usage, stdout);
		return 0;
	}
	check_interface(&d);
	if (d.ifindex) {
		check_mtu(&d);
		check_enslaved(&d);
	} else {
		add(&d, "ethernet", V_UNCHECKED, NULL, "%s does not exist", d.ifname);
		add(&d, "carrier", V_UNCHECKED, NULL, "%s does not exist", d.ifname);
		add(&d, "mtu", V_UNCHECKED, NULL, "%s does not exist", d.ifname);
		add(&d, "enslaved", V_UNCHECKED, NULL, "%s does not exist", d.ifname);
	}
	check_tun(&d);
	check_ip_forward(&d);
	check_nat(&d);
	if (d.ifindex)
		check_other_server(&d);
	else
		add(&d, "other_server", V_UNCHECKED, NULL, "%s does not exist", d.ifname);
	check_secrets(&d);
	check_pool_overlap(&d);

	unsigned problems = 0;
	for (unsigned i = 0; i < d.n; i++)
		problems += d.f[i].v == V_PROBLEM;
	if (d.json)
		print_json(&d, stdout);
	else
		print_text(&d, stdout, problems);
	if (fflush(stdout) != 0)
		return DOCTOR_EXIT_CANNOT_RUN;
	return problems > DOCTOR_MAX_PROBLEMS ? DOCTOR_MAX_PROBLEMS : (int)problems;
}
