# RTL sources, RTL parameters from an architecture config (the same JSON the
# model reads), lint tests, and the synthesis check.
file(GLOB RTL_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rtl/*.v)
set(RTL_FIELDS I H T classes c k mvm_lanes mvm_groups ewu_lanes fc_lanes pixels_per_beat spx_buffers)
set(RTL_PARAMS_NAMES I H T CLASSES C K LANES GROUPS EWU_LANES FC_LANES PIX_PER_BEAT SPX_BUFFERS)

# arch_params(<config.json> <out-list>): -G<PARAM>=<value> for every field,
# in the order accel::verilator_params() prints them.
function(arch_params JSON_FILE OUT)
  file(READ ${JSON_FILE} j)
  set(res "")
  foreach(f p IN ZIP_LISTS RTL_FIELDS RTL_PARAMS_NAMES)
    string(JSON v ERROR_VARIABLE err GET "${j}" ${f})
    if(err)
      message(FATAL_ERROR "${JSON_FILE}: field '${f}' missing (RTL parameter generation needs every field)")
    endif()
    list(APPEND res -G${p}=${v})
  endforeach()
  set(${OUT} ${res} PARENT_SCOPE)
endfunction()
