# The architecture config's derived values for CMake, from the C++ rules
# (lstm/derived.hpp) and never re-derived here: `lstm-arch` (= `lstmsim
# arch`, pure C++) is compiled at configure time into the build directory and
# asked for each config.
include_guard(GLOBAL)
set(_arch_src ${PROJECT_SOURCE_DIR}/sc_model)
set(LSTM_ARCH_SOURCES ${_arch_src}/tools/lstm_arch.cpp ${_arch_src}/tools/arch_cmd.cpp
  ${_arch_src}/arch/derived.cpp ${_arch_src}/arch/arch.cpp ${_arch_src}/arch/timing.cpp
  ${_arch_src}/arch/sample.cpp)
file(GLOB _arch_headers ${_arch_src}/arch/*.hpp ${_arch_src}/formats/*.hpp ${_arch_src}/tools/arch_cmd.hpp)
set(LSTM_ARCH_TOOL ${CMAKE_BINARY_DIR}/host/lstm-arch CACHE INTERNAL "configure-time lstm-arch")
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${LSTM_ARCH_SOURCES} ${_arch_headers})
set(_rebuild FALSE)
foreach(f ${LSTM_ARCH_SOURCES} ${_arch_headers})
  if(${f} IS_NEWER_THAN ${LSTM_ARCH_TOOL})
    set(_rebuild TRUE)
  endif()
endforeach()
if(_rebuild OR NOT EXISTS ${LSTM_ARCH_TOOL})
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/host)
  message(STATUS "Building lstm-arch (configure-time derived parameters)")
  execute_process(
    COMMAND ${CCACHE} ${CMAKE_CXX_COMPILER} -std=c++17 -O1 -I${_arch_src} -I${_arch_src}/tools
      ${LSTM_ARCH_SOURCES} -o ${LSTM_ARCH_TOOL}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "building lstm-arch failed:\n${err}")
  endif()
endif()

# arch_json(<config.json> <out-var>): `lstm-arch --json` of the config (a
# bad config stops the configure with lstm-arch's message naming the field).
function(arch_json JSON_FILE OUT)
  execute_process(COMMAND ${LSTM_ARCH_TOOL} --json ${JSON_FILE} RESULT_VARIABLE rc OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "${err}")
  endif()
  set(${OUT} "${out}" PARENT_SCOPE)
endfunction()

# arch_params(<config.json> <out-list>): the top's -G<PARAM>=<value> list.
function(arch_params JSON_FILE OUT)
  arch_json(${JSON_FILE} j)
  string(JSON p GET "${j}" verilator_params)
  # Space-separated, never quoted; a stack's packed values hold a ' (64'h...).
  string(REPLACE " " ";" p "${p}")
  set(${OUT} ${p} PARENT_SCOPE)
endfunction()

# arch_derived(<config.json> <prefix> NAME...): sets <prefix><NAME> to each
# derived value (and <prefix>top to the top module).
function(arch_derived JSON_FILE PREFIX)
  arch_json(${JSON_FILE} j)
  foreach(n ${ARGN})
    string(JSON v GET "${j}" derived ${n})
    set(${PREFIX}${n} ${v} PARENT_SCOPE)
  endforeach()
  string(JSON t GET "${j}" top)
  set(${PREFIX}top ${t} PARENT_SCOPE)
endfunction()

# arch_block_derived(<out-list> NAME=VALUE...): what a block's parameter set
# (not a whole config; the block cosims) derives, as NAME=VALUE items.
function(arch_block_derived OUT)
  execute_process(COMMAND ${LSTM_ARCH_TOOL} --params ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "${err}")
  endif()
  string(STRIP "${out}" out)
  string(REPLACE "\n" ";" out "${out}")
  set(${OUT} ${out} PARENT_SCOPE)
endfunction()
