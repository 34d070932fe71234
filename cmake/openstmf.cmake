# Declarative helpers that keep the CMakeLists.txt files short.
#
#   openstmf_library(NAME n SRCS ... [DEPS ...] [PUBLIC_DEPS ...] [SHARED_NAME soname])
#   openstmf_test(NAME n SRCS ... [DEPS ...] [LABELS ...] [TIMEOUT s])
#   openstmf_fuzzer(NAME n SRCS ... [DEPS ...] CORPUS dir)

set(OPENSTMF_WARNINGS -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wno-missing-field-initializers)

if(OPENSTMF_SANITIZE STREQUAL "asan-ubsan")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(OPENSTMF_SANITIZE STREQUAL "tsan")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT OPENSTMF_SANITIZE STREQUAL "")
  message(FATAL_ERROR "OPENSTMF_SANITIZE must be empty, asan-ubsan or tsan")
endif()

function(openstmf_target_defaults target)
  target_compile_options(${target} PRIVATE ${OPENSTMF_WARNINGS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
endfunction()

# A static library for in-tree use; with SHARED_NAME also a shared library of that
# name (e.g. libdoor.so) built from the same objects.
function(openstmf_library)
  cmake_parse_arguments(A "" "NAME;SHARED_NAME" "SRCS;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(${A_NAME} STATIC ${A_SRCS})
  openstmf_target_defaults(${A_NAME})
  target_link_libraries(${A_NAME} PUBLIC ${A_PUBLIC_DEPS} PRIVATE ${A_DEPS})
  if(A_SHARED_NAME)
    add_library(${A_NAME}_shared SHARED ${A_SRCS})
    openstmf_target_defaults(${A_NAME}_shared)
    set_target_properties(${A_NAME}_shared PROPERTIES OUTPUT_NAME ${A_SHARED_NAME}
      VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
      CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
    target_link_libraries(${A_NAME}_shared PUBLIC ${A_PUBLIC_DEPS} PRIVATE ${A_DEPS})
    set_target_properties(${A_NAME} PROPERTIES OUTPUT_NAME ${A_SHARED_NAME})
    install(TARGETS ${A_NAME}_shared ${A_NAME})
  endif()
endfunction()

function(openstmf_test)
  cmake_parse_arguments(A "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  openstmf_target_defaults(${A_NAME})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} GTest::gtest GTest::gtest_main Threads::Threads)
  set_target_properties(${A_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 120)
  endif()
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  add_test(NAME ${A_NAME} COMMAND ${A_NAME})
  set_tests_properties(${A_NAME} PROPERTIES LABELS "${A_LABELS}" TIMEOUT ${A_TIMEOUT})
endfunction()

# With OPENSTMF_FUZZ a libFuzzer binary in bin/fuzz; always a regression test that
# feeds every file of the seed corpus through the same entry point.
function(openstmf_fuzzer)
  cmake_parse_arguments(A "" "NAME;CORPUS" "SRCS;DEPS" ${ARGN})
  if(OPENSTMF_FUZZ)
    add_executable(${A_NAME} ${A_SRCS})
    openstmf_target_defaults(${A_NAME})
    target_compile_options(${A_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_options(${A_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} Threads::Threads)
    set_target_properties(${A_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin/fuzz)
  endif()
  add_executable(${A_NAME}_corpus ${A_SRCS} ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus_main.cc)
  openstmf_target_defaults(${A_NAME}_corpus)
  target_link_libraries(${A_NAME}_corpus PRIVATE ${A_DEPS} Threads::Threads)
  set_target_properties(${A_NAME}_corpus PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${A_NAME}_corpus COMMAND ${A_NAME}_corpus ${A_CORPUS})
  set_tests_properties(${A_NAME}_corpus PROPERTIES LABELS "unit;fuzz-corpus" TIMEOUT 120)
endfunction()

# OPENSTMF_ONLY (a list, e.g. "door;scsi") restricts the build to base plus those
# components, for working on one component while others are being changed.
set(OPENSTMF_ONLY "" CACHE STRING "Build only base plus these components (empty: all)")

# Adds subdirectory <dir>/<name> for each name that exists and is enabled.
function(openstmf_add_components dir)
  foreach(name ${ARGN})
    set(path ${CMAKE_CURRENT_SOURCE_DIR}/${dir}${name})
    if(NOT EXISTS ${path}/CMakeLists.txt)
      continue()
    endif()
    if(OPENSTMF_ONLY AND NOT name STREQUAL "base" AND NOT name IN_LIST OPENSTMF_ONLY)
      continue()
    endif()
    add_subdirectory(${path})
  endforeach()
endfunction()
