# cmake -DIN=src.proto -DOUT=dst.proto -P rewrite_proto.cmake
#
# Copies one containerd proto into the build tree for protoc. protoc 3.21
# aborts on `import weak` (CHECK failed: !options_.opensource_runtime), which
# every Debian containerd proto uses for gogo.proto; a plain import generates
# the same messages.
file(READ "${IN}" text)
string(REPLACE "import weak " "import " text "${text}")
file(WRITE "${OUT}" "${text}")
