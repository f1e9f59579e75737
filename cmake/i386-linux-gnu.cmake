# 32-bit x86 (i386) build on an amd64 Debian host, used by the `i386` preset: Debian's i686 cross
# compiler with the multiarch :i386 -dev packages (scripts/install-deps.sh installs both).
# ctest runs the test binaries under qemu-i386: a kernel built without IA32 emulation (this
# project's machines) cannot run 32-bit programs; qemu-i386 runs them on any x86-64 kernel.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER i686-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE i386-linux-gnu)
# Large-file interfaces, as 32-bit distributions build by default: without them readdir() fails
# with EOVERFLOW when the file system (or qemu on a 64-bit host) gives 64-bit directory offsets,
# and the tests that list their data directories see none. time_t stays 32 bits on purpose.
set(CMAKE_C_FLAGS_INIT "-D_FILE_OFFSET_BITS=64")
set(CMAKE_CXX_FLAGS_INIT "-D_FILE_OFFSET_BITS=64")
# pkg-config (jansson, cmocka, libmicrohttpd, libcurl) must read the i386 .pc files only.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/i386-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-i386)
