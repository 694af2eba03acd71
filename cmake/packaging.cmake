# cmake/packaging.cmake — makes the man pages (docs/man/*.in) and the systemd
# units (packaging/systemd/*.in) for one installation prefix. Included twice:
# at configure time for the build tree (the tests render those pages), and by
# `cmake --install` for the prefix it installs to (`--prefix /usr` must give
# ExecStart=/usr/sbin/uppp, not the configure-time /usr/local), which then
# installs them (file(INSTALL) adds DESTDIR).
#
# Set before including: UPPP_PKG_SRC (the source tree), UPPP_PKG_OUT (where to
# write), UPPP_PKG_PREFIX, UPPP_PKG_INSTALL (TRUE: also install), PROJECT_VERSION,
# UPPP_MAN_DATE, CMAKE_INSTALL_SBINDIR, CMAKE_INSTALL_DOCDIR,
# CMAKE_INSTALL_MANDIR, UPPP_SYSTEMD_UNITDIR (each relative to the prefix, or
# absolute).
function(uppp_pkg_full out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "${UPPP_PKG_PREFIX}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

uppp_pkg_full(UPPP_SBINDIR "${CMAKE_INSTALL_SBINDIR}")
uppp_pkg_full(UPPP_DOCDIR "${CMAKE_INSTALL_DOCDIR}")
uppp_pkg_full(UPPP_MANDIR "${CMAKE_INSTALL_MANDIR}")
uppp_pkg_full(UPPP_SYSTEMD_UNITDIR_FULL "${UPPP_SYSTEMD_UNITDIR}")

set(UPPP_PKG_MAN8 "${UPPP_PKG_OUT}/man/uppp.8")
set(UPPP_PKG_MAN5 "${UPPP_PKG_OUT}/man/uppp-options.5")
set(UPPP_PKG_UNITS "${UPPP_PKG_OUT}/systemd/uppp@.service" "${UPPP_PKG_OUT}/systemd/uppp-client@.service")
configure_file("${UPPP_PKG_SRC}/docs/man/uppp.8.in" "${UPPP_PKG_MAN8}" @ONLY)
configure_file("${UPPP_PKG_SRC}/docs/man/uppp-options.5.in" "${UPPP_PKG_MAN5}" @ONLY)
configure_file("${UPPP_PKG_SRC}/packaging/systemd/uppp@.service.in" "${UPPP_PKG_OUT}/systemd/uppp@.service" @ONLY)
configure_file("${UPPP_PKG_SRC}/packaging/systemd/uppp-client@.service.in"
               "${UPPP_PKG_OUT}/systemd/uppp-client@.service" @ONLY)

if(UPPP_PKG_INSTALL)
  file(INSTALL DESTINATION "${UPPP_MANDIR}/man8" TYPE FILE FILES "${UPPP_PKG_MAN8}")
  file(INSTALL DESTINATION "${UPPP_MANDIR}/man5" TYPE FILE FILES "${UPPP_PKG_MAN5}")
  file(INSTALL DESTINATION "${UPPP_SYSTEMD_UNITDIR_FULL}" TYPE FILE FILES ${UPPP_PKG_UNITS})
endif()
