# Writes the README's C snippet as a program: cmake -DREADME=... -DOUT=... -P extract_snippet.cmake
#
# Convention: the first ```c block after the "## Using the library" heading is
# the body of main(); its #include lines are moved to file scope (left blank
# in place, so that #line keeps compiler messages pointing at README.md).
file(READ "${README}" text)
string(FIND "${text}" "\n## Using the library\n" heading)
if(heading EQUAL -1)
    message(FATAL_ERROR "${README}: no \"## Using the library\" heading")
endif()
string(SUBSTRING "${text}" ${heading} -1 rest)
string(FIND "${rest}" "\n```c\n" open)
if(open EQUAL -1)
    message(FATAL_ERROR "${README}: no ```c block under \"## Using the library\"")
endif()
math(EXPR body_start "${heading} + ${open} + 6")
string(SUBSTRING "${text}" ${body_start} -1 rest)
string(FIND "${rest}" "\n```" close)
if(close EQUAL -1)
    message(FATAL_ERROR "${README}: the ```c block under \"## Using the library\" is not closed")
endif()
math(EXPR close "${close} + 1")
string(SUBSTRING "${rest}" 0 ${close} snippet)

# Line number of the snippet's first line in README.md.
string(SUBSTRING "${text}" 0 ${body_start} before)
string(REGEX MATCHALL "\n" newlines "${before}")
list(LENGTH newlines first_line)
math(EXPR first_line "${first_line} + 1")

string(REGEX MATCHALL "#include[^\n]*" includes "${snippet}")
string(REGEX REPLACE "#include[^\n]*" "" body "${snippet}")
string(REPLACE ";" "\n" includes "${includes}")

file(WRITE "${OUT}.tmp"
     "/* Generated from ${README} by extract_snippet.cmake: do not edit. */\n"
     "${includes}\n\n"
     "int main(void)\n{\n"
     "#line ${first_line} \"${README}\"\n"
     "${body}"
     "}\n")
# Only a changed snippet touches the file, so the test rebuilds only what it must.
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
