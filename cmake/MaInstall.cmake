# Installation, split into the components the Debian packages are made of:
#   runtime  the shared library (SONAME libmodelarts.so.<major>)
#   dev      headers, static library, pkg-config files, CMake package
#   tools    ma-jobs, its man page and its bash completion
#   fake-server  ma-fake-server and its man page (with MA_INSTALL_FAKE_SERVER)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/modelarts)

install(TARGETS modelarts EXPORT modelartsTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS modelarts_static EXPORT modelartsTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
# The whole tree, include/modelarts/adapters/ (the header-only event-loop adapters) with it.
install(DIRECTORY include/modelarts DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/modelarts/ma_version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/modelarts COMPONENT dev)

# The .pc files locate the prefix relative to themselves, so a staged or moved install still works.
file(RELATIVE_PATH MA_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
file(RELATIVE_PATH MA_PREFIX_TO_LIBDIR ${CMAKE_INSTALL_PREFIX} ${CMAKE_INSTALL_FULL_LIBDIR})
file(RELATIVE_PATH MA_PREFIX_TO_INCLUDEDIR ${CMAKE_INSTALL_PREFIX} ${CMAKE_INSTALL_FULL_INCLUDEDIR})
foreach(pc modelarts modelarts-static)
    configure_file(pkgconfig/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
endforeach()

install(EXPORT modelartsTargets NAMESPACE modelarts:: DESTINATION ${MA_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(cmake/modelartsConfig.cmake.in ${PROJECT_BINARY_DIR}/modelartsConfig.cmake
                              INSTALL_DESTINATION ${MA_CMAKE_DIR})
# Every 0.x minor may break the ABI (ma_version.h), so 0.x versions match on major.minor.
if(PROJECT_VERSION_MAJOR EQUAL 0)
    set(MA_COMPATIBILITY SameMinorVersion)
else()
    set(MA_COMPATIBILITY SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/modelartsConfigVersion.cmake
                                 COMPATIBILITY ${MA_COMPATIBILITY})
install(FILES ${PROJECT_BINARY_DIR}/modelartsConfig.cmake ${PROJECT_BINARY_DIR}/modelartsConfigVersion.cmake
        DESTINATION ${MA_CMAKE_DIR} COMPONENT dev)

# Everything `cmake --install` copies: a partial build (the demo's) builds this before installing.
add_custom_target(ma-installable DEPENDS modelarts modelarts_static)
if(TARGET ma-jobs)
    add_dependencies(ma-installable ma-jobs)
    # The installed ma-jobs finds the library it was installed with from any prefix: the RPATH
    # is relative to the binary ($ORIGIN), so no LD_LIBRARY_PATH and no ldconfig are needed.
    file(RELATIVE_PATH MA_BIN_TO_LIBDIR ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
    set_target_properties(ma-jobs PROPERTIES INSTALL_RPATH "$ORIGIN/${MA_BIN_TO_LIBDIR}")
    install(TARGETS ma-jobs RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)
    install(FILES scripts/ma-jobs.bash-completion DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
            RENAME ma-jobs COMPONENT tools)
    # The man page is written separately; install it once it exists.
    if(EXISTS ${PROJECT_SOURCE_DIR}/docs/ma-jobs.1)
        install(FILES docs/ma-jobs.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tools)
    endif()
endif()

# The API reference's HTML (docs/CMakeLists.txt installs it): built before anything is installed.
if(MA_INSTALL_API_DOCS AND TARGET api_docs)
    add_dependencies(ma-installable api_docs)
endif()

# The fake server, for users who test their own programs against it.
if(MA_INSTALL_FAKE_SERVER AND TARGET ma-fake-server)
    add_dependencies(ma-installable ma-fake-server)
    install(TARGETS ma-fake-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT fake-server)
    install(FILES docs/ma-fake-server.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT fake-server)
endif()
