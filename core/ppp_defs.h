/* core/ppp_defs.h — numbers from the RFCs, in one place. */
#ifndef UPPP_CORE_PPP_DEFS_H
#define UPPP_CORE_PPP_DEFS_H

/* Ethernet (RFC 2516 §4) */
#define ETH_P_PPPOE_DISC 0x8863
#define ETH_P_PPPOE_SESS 0x8864
#define UPPP_ETH_HLEN 14
#define UPPP_PPPOE_HLEN 6          /* ver/type, code, session id, length */
#define UPPP_PPPOE_MAX_PAYLOAD 1494 /* 1500 - PPPoE header */
#define UPPP_PPPOE_MTU 1492         /* RFC 2516 §7: MRU ≤ 1492 without RFC 4638 */

/* PPP protocol numbers (RFC 1661, 1332, 1334, 1994, 2759 assigned numbers) */
#define PPP_IP    0x0021
#define PPP_IPV6  0x0057
#define PPP_IPCP  0x8021
#define PPP_CCP   0x80fd
#define PPP_IPV6CP 0x8057
#define PPP_LCP   0xc021
#define PPP_PAP   0xc023
#define PPP_LQR   0xc025
#define PPP_CHAP  0xc223

/* Control packet codes (RFC 1661 §5) */
#define CP_CONF_REQ   1
#define CP_CONF_ACK   2
#define CP_CONF_NAK   3
#define CP_CONF_REJ   4
#define CP_TERM_REQ   5
#define CP_TERM_ACK   6
#define CP_CODE_REJ   7
#define LCP_PROTO_REJ 8
#define LCP_ECHO_REQ  9
#define LCP_ECHO_REP  10
#define LCP_DISC_REQ  11
#define LCP_IDENT     12   /* RFC 1570 */
#define LCP_TIME_REM  13   /* RFC 1570 */

/* LCP options (RFC 1661 §6, RFC 1570, RFC 1990) */
#define LCP_OPT_MRU       1
#define LCP_OPT_ACCM      2
#define LCP_OPT_AUTH      3
#define LCP_OPT_QUALITY   4
#define LCP_OPT_MAGIC     5
#define LCP_OPT_PFC       7
#define LCP_OPT_ACFC      8
#define LCP_OPT_CALLBACK  13
#define LCP_OPT_MRRU      17
#define LCP_OPT_SSNHF     18
#define LCP_OPT_EPDISC    19

/* IPCP options (RFC 1332, RFC 1877) */
#define IPCP_OPT_ADDRS    1
#define IPCP_OPT_COMP     2
#define IPCP_OPT_ADDR     3
#define IPCP_OPT_DNS1     129
#define IPCP_OPT_NBNS1    130
#define IPCP_OPT_DNS2     131
#define IPCP_OPT_NBNS2    132

/* CHAP algorithms (RFC 1994, RFC 2759) */
#define CHAP_MD5      5
#define CHAP_MSCHAPV2 0x81

#endif
