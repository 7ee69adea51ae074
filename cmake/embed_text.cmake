# Writes a C++ source that holds a text file as a string constant, so the program carries its
# data wherever it is installed (used for data/aws-catalog.tsv). Run as
#   cmake -DINPUT=FILE -DOUTPUT=FILE.cpp -DNAMESPACE=ns -DFUNCTION=name -P embed_text.cmake
# The source defines `std::string_view NAMESPACE::FUNCTION()`. A raw string literal keeps the
# text as it is; ccache and the compiler see the text itself, so a changed file rebuilds.
file(READ "${INPUT}" content)
set(delimiter "iamsim_embedded")
string(FIND "${content}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )${delimiter}\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/embed_text.cmake: do not edit.\n"
  "#include <string_view>\n\n"
  "namespace ${NAMESPACE} {\n\n"
  "std::string_view ${FUNCTION}() {\n"
  "  static constexpr char text[] = R\"${delimiter}(${content})${delimiter}\";\n"
  "  return {text, sizeof(text) - 1};\n"
  "}\n\n"
  "}  // namespace ${NAMESPACE}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
