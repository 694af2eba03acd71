# Cross build for 32-bit ARM, hard float (Debian armhf): Debian's cross
# compiler (gcc-arm-linux-gnueabihf) and the armhf multiarch libraries
# (nettle-dev:armhf, libcmocka-dev:armhf, libpcap-dev:armhf …), which
# scripts/cross.sh installs. ctest runs the tests under qemu-user.
#
#   cmake -S . -B build-cross-armhf -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-armhf.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)

# pkg-config sees only the armhf .pc files, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/arm-linux-gnueabihf/pkgconfig:/usr/share/pkgconfig)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# Test binaries run under qemu-user; -L: the cross C library's dynamic loader.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm -L /usr/arm-linux-gnueabihf)
