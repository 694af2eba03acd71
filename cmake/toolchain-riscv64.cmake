# Cross build for 64-bit RISC-V (riscv64): Debian's cross compiler
# (gcc-riscv64-linux-gnu). Debian 12 has no riscv64 packages in its main
# archive, so there are no multiarch libraries: scripts/cross.sh builds nettle
# and cmocka from Debian's source packages into UPPP_CROSS_PREFIX (static
# libraries), and only the sans-I/O library and its tests are built
# (UPPP_SANS_IO_ONLY: libpcap, libnl and libcrypt are not needed there).
# ctest runs the tests under qemu-user.
#
#   cmake -S . -B build-cross-riscv64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-riscv64.cmake \
#         -DUPPP_CROSS_PREFIX=$PWD/build-cross-riscv64/deps
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER riscv64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE riscv64-linux-gnu)

set(UPPP_SANS_IO_ONLY ON CACHE BOOL "Build only uppp_proto and the tests that link nothing more")
set(UPPP_CROSS_PREFIX "$ENV{UPPP_CROSS_PREFIX}" CACHE PATH "Where nettle and cmocka for riscv64 are installed")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES UPPP_CROSS_PREFIX)

# pkg-config sees only the libraries built for riscv64, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} ${UPPP_CROSS_PREFIX}/lib/pkgconfig)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# Test binaries run under qemu-user; -L: the cross C library's dynamic loader.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-riscv64 -L /usr/riscv64-linux-gnu)
