# RTL sources and the RTL parameters of an architecture config (the same JSON
# the model reads).
file(GLOB RTL_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rtl/*.v)
# Every Verilator and yosys run needs -I rtl: modules include their generated
# derived parameters (rtl/derived/<module>.vh, `lstmsim arch --headers`).
set(RTL_INCLUDE_FLAG -I${PROJECT_SOURCE_DIR}/rtl)
# arch_params(), arch_derived(): the parameters from the C++ config rules.
include(${PROJECT_SOURCE_DIR}/cmake/arch.cmake)
