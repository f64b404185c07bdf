// Livedesk's libsrtp2 implementation of mediasoup's DepLibSRTP (include/DepLibSRTP.hpp).
//
// Why: mediasoup 3.16+ targets libsrtp3, whose error list has two codes that libsrtp2 2.5 (Debian's)
// lacks (buffer_small, cryptex_err). This file names exactly libsrtp2's srtp_err_status_t values.
// Copied over src/DepLibSRTP.cpp by media/build-worker.mjs; see media/worker-patches/src/RTC/
// SrtpSession.cpp for the rest of the port.
#define MS_CLASS "DepLibSRTP"

#include "DepLibSRTP.hpp"
#include "Logger.hpp"
#include "MediaSoupErrors.hpp"
#include <mutex>

// libsrtp keeps global state: initialise it once for all workers in the process (a worker may run
// in-process as a library) and shut it down after the last one.
static std::mutex InitMutex;
static size_t InitCount{ 0 };

// clang-format off
const ankerl::unordered_dense::map<srtp_err_status_t, std::string> DepLibSRTP::ErrorCode2String =
{
	{ srtp_err_status_ok,            "ok" },
	{ srtp_err_status_fail,          "unspecified failure" },
	{ srtp_err_status_bad_param,     "unsupported parameter" },
	{ srtp_err_status_alloc_fail,    "memory allocation failed" },
	{ srtp_err_status_dealloc_fail,  "memory deallocation failed" },
	{ srtp_err_status_init_fail,     "initialisation failed" },
	{ srtp_err_status_terminus,      "cannot process as much data as requested" },
	{ srtp_err_status_auth_fail,     "authentication failed" },
	{ srtp_err_status_cipher_fail,   "cipher failed" },
	{ srtp_err_status_replay_fail,   "replay check failed (bad index)" },
	{ srtp_err_status_replay_old,    "replay check failed (index too old)" },
	{ srtp_err_status_algo_fail,     "algorithm failed its self test" },
	{ srtp_err_status_no_such_op,    "unsupported operation" },
	{ srtp_err_status_no_ctx,        "no matching context" },
	{ srtp_err_status_cant_check,    "cannot perform the requested validation" },
	{ srtp_err_status_key_expired,   "key expired" },
	{ srtp_err_status_socket_err,    "socket error" },
	{ srtp_err_status_signal_err,    "POSIX signal error" },
	{ srtp_err_status_nonce_bad,     "nonce check failed" },
	{ srtp_err_status_read_fail,     "read failed" },
	{ srtp_err_status_write_fail,    "write failed" },
	{ srtp_err_status_parse_err,     "parse error" },
	{ srtp_err_status_encode_err,    "encode error" },
	{ srtp_err_status_semaphore_err, "semaphore error" },
	{ srtp_err_status_pfkey_err,     "pfkey error" },
	{ srtp_err_status_bad_mki,       "invalid MKI in packet" },
	{ srtp_err_status_pkt_idx_old,   "packet index too old" },
	{ srtp_err_status_pkt_idx_adv,   "packet index advanced, reset needed" },
};
// clang-format on

void DepLibSRTP::ClassInit()
{
	MS_TRACE();

	const std::lock_guard<std::mutex> lock(InitMutex);

	if (InitCount == 0)
	{
		MS_DEBUG_TAG(info, "libsrtp version: \"%s\"", srtp_get_version_string());

		const srtp_err_status_t err = srtp_init();

		if (DepLibSRTP::IsError(err))
		{
			MS_THROW_ERROR("srtp_init() failed: %s", DepLibSRTP::GetErrorString(err).c_str());
		}
	}

	++InitCount;
}

void DepLibSRTP::ClassDestroy()
{
	MS_TRACE();

	const std::lock_guard<std::mutex> lock(InitMutex);

	if (InitCount > 0 && --InitCount == 0)
	{
		srtp_shutdown();
	}
}

const std::string& DepLibSRTP::GetErrorString(srtp_err_status_t code)
{
	MS_TRACE();

	static const std::string Unknown("unknown libsrtp error");

	const auto it = DepLibSRTP::ErrorCode2String.find(code);

	return it == DepLibSRTP::ErrorCode2String.end() ? Unknown : it->second;
}
