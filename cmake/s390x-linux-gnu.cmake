# s390x (64-bit, big-endian) cross build on an amd64 Debian host for tests/s390x, run by
# scripts/test-s390x.sh: Debian's gcc-s390x-linux-gnu, and qemu-user to run the tests (ctest
# prefixes each test command with the emulator). -L points qemu at the cross libc's loader.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-s390x -L /usr/s390x-linux-gnu)
