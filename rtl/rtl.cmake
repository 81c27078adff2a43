# RTL sources, RTL parameters from an architecture config (the same JSON the
# model reads), lint tests, and the synthesis check.
file(GLOB RTL_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rtl/*.v)
set(RTL_FIELDS I H T classes c k mvm_lanes mvm_groups ewu_lanes fc_lanes pixels_per_beat spx_buffers)
set(RTL_PARAMS_NAMES I H T CLASSES C K LANES GROUPS EWU_LANES FC_LANES PIX_PER_BEAT SPX_BUFFERS)
# Optional (the CNN front end): emitted when present and cnn_in > 0.
set(RTL_CNN_FIELDS cnn_in conv_lanes)
set(RTL_CNN_PARAMS_NAMES CNN_IN CONV_LANES)

# arch_params(<config.json> <out-list>): -G<PARAM>=<value> for every field,
# in the order lstm::verilator_params() prints them (-GCNN_IN, -GCONV_LANES
# last, only for a config with a CNN front end).
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
  string(JSON cnn ERROR_VARIABLE err GET "${j}" cnn_in)
  if(NOT err AND cnn GREATER 0)
    foreach(f p IN ZIP_LISTS RTL_CNN_FIELDS RTL_CNN_PARAMS_NAMES)
      string(JSON v ERROR_VARIABLE err GET "${j}" ${f})
      if(err)
        message(FATAL_ERROR "${JSON_FILE}: field '${f}' missing (a config with cnn_in > 0 needs conv_lanes)")
      endif()
      list(APPEND res -G${p}=${v})
    endforeach()
  endif()
  set(${OUT} ${res} PARENT_SCOPE)
endfunction()
