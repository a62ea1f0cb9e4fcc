// Typed wrappers around libcurl's variadic calls, which Swift cannot make directly. Each wrapper
// passes exactly the argument type libcurl documents for the options it is used with.
#ifndef SWITCHBOARD_CCURL_SHIM_H
#define SWITCHBOARD_CCURL_SHIM_H

#include <curl/curl.h>

/// A write or header callback: libcurl's `curl_write_callback`.
typedef size_t (*switchboard_curl_data_callback)(char *data, size_t size, size_t count, void *context);

/// A transfer progress callback: libcurl's `curl_xferinfo_callback`. Returning non-zero aborts.
typedef int (*switchboard_curl_progress_callback)(void *context, curl_off_t download_total, curl_off_t downloaded,
                                                 curl_off_t upload_total, curl_off_t uploaded);

/// Sets an option that takes a `long` (timeouts, flags, sizes).
static inline CURLcode switchboard_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a `curl_off_t` (`CURLOPT_POSTFIELDSIZE_LARGE`).
static inline CURLcode switchboard_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a C string (URL, method); libcurl copies strings it keeps.
static inline CURLcode switchboard_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a pointer libcurl does not copy (POST body, error buffer, callback
/// context): the caller keeps it alive for the transfer.
static inline CURLcode switchboard_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a header list (`CURLOPT_HTTPHEADER`).
static inline CURLcode switchboard_curl_set_headers(CURL *handle, struct curl_slist *headers) {
    return curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
}

/// Sets a data callback (`CURLOPT_WRITEFUNCTION` or `CURLOPT_HEADERFUNCTION`).
static inline CURLcode switchboard_curl_set_data_callback(CURL *handle, CURLoption option,
                                                          switchboard_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// Sets the progress callback (`CURLOPT_XFERINFOFUNCTION`).
static inline CURLcode switchboard_curl_set_progress_callback(CURL *handle, switchboard_curl_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

/// Reads a `long` transfer fact (`CURLINFO_RESPONSE_CODE`, `CURLINFO_NUM_CONNECTS`).
static inline CURLcode switchboard_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
