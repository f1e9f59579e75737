# Debian packages from the install components (`cpack -G DEB` in the build directory):
#   libmodelarts<soversion>  runtime (libmodelarts0.4: the package name follows the SONAME): the shared library
#   libmodelarts-dev     dev: headers, static library, pkg-config files, CMake package
#   modelarts-tools      tools: ma-jobs, its man page and bash completion
#   ma-fake-server       fake-server: the fake service and its man page (with MA_INSTALL_FAKE_SERVER)
#   libmodelarts-doc     doc: the API reference's HTML (with MA_INSTALL_API_DOCS)
set(CPACK_PACKAGE_NAME modelarts)
set(CPACK_PACKAGE_VENDOR "modelarts-c")
set(CPACK_PACKAGE_CONTACT "modelarts-c maintainers <modelarts-c@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
if(TARGET ma-jobs)
    list(APPEND CPACK_COMPONENTS_ALL tools)
endif()
if(MA_INSTALL_API_DOCS AND TARGET api_docs)
    list(APPEND CPACK_COMPONENTS_ALL doc)
endif()
if(MA_INSTALL_FAKE_SERVER AND TARGET ma-fake-server)
    list(APPEND CPACK_COMPONENTS_ALL fake-server)
endif()

set(MA_DEB_RUNTIME libmodelarts${MA_SOVERSION})
set(MA_DEB_EXACT "(= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${MA_DEB_RUNTIME})
set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmodelarts-dev)
set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME modelarts-tools)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)

# The runtime's dependencies come from dpkg-shlibdeps; it also gets a shlibs file of its own.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")
# The -dev package: the static library and the .pc files need the dependencies' own -dev packages.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "${MA_DEB_RUNTIME} ${MA_DEB_EXACT}, libcurl4-openssl-dev (>= 7.85) | libcurl-dev, libjansson-dev (>= 2.12), libyaml-dev (>= 0.2), libinih-dev (>= 53), libssl-dev, pkg-config | pkgconf")
# The header-only event-loop adapters (include/modelarts/adapters/) need their loop's headers, only for those who use them.
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "libuv1-dev, libevent-dev")
# ma-jobs links the library (not yet known to dpkg-shlibdeps while it is being packaged), jansson and libcurl;
# the library itself brings libyaml and inih.
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS
    "${MA_DEB_RUNTIME} ${MA_DEB_EXACT}, libjansson4 (>= 2.12), libcurl4 (>= 7.85), libc6")
# The fake server links no part of the library; dpkg-shlibdeps finds libmicrohttpd and the rest.
set(CPACK_DEBIAN_FAKE-SERVER_PACKAGE_NAME ma-fake-server)
set(CPACK_DEBIAN_FAKE-SERVER_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FAKE-SERVER_PACKAGE_SHLIBDEPS ON)
set(CPACK_COMPONENT_FAKE-SERVER_DESCRIPTION
    "Fake ModelArts training-job service\n Serves the ModelArts list-training-jobs API on loopback from a seeded data set, with\n faults on demand, so programs can run their tests against it.")
# The API reference: HTML only, the same on every architecture.
set(CPACK_DEBIAN_DOC_PACKAGE_NAME libmodelarts-doc)
set(CPACK_DEBIAN_DOC_PACKAGE_SECTION doc)
set(CPACK_DEBIAN_DOC_PACKAGE_ARCHITECTURE all)
set(CPACK_COMPONENT_DOC_DESCRIPTION
    "API reference of the ModelArts C SDK (HTML)\n Every public declaration of libmodelarts with its ownership, statuses and version, the\n guides and the examples, with search and a tree view.")
include(CPack)
