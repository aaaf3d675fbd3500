# Writes a binary file as a C source defining
#   const uint8_t SYMBOL[]; const size_t SYMBOL_len;
# Usage: cmake -DINPUT=file.bin -DOUTPUT=file.c -DSYMBOL=name -DHEADER=dir/name.h -P embed_binary.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR byte_count "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# 16 bytes a line
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
  "/* Generated from ${INPUT} by cmake/embed_binary.cmake: do not edit. */\n"
  "#include \"${HEADER}\"\n\n"
  "const uint8_t ${SYMBOL}[${byte_count}] = {\n    ${bytes}\n};\n"
  "const size_t ${SYMBOL}_len = ${byte_count};\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
