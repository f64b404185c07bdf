// Livedesk's libsrtp2 implementation of mediasoup's RTC::SrtpSession (include/RTC/SrtpSession.hpp).
//
// Why: mediasoup 3.16+ is written against libsrtp3 (a fork that versatica downloads at build
// time); Debian ships libsrtp2 2.5, and these machines download nothing. libsrtp2 differs in three
// ways that matter here, each handled below:
//   - the policy is a plain struct filled by srtp_crypto_policy_set_*() (no srtp_policy_create());
//   - srtp_protect()/srtp_unprotect() (and the _rtcp variants) work in place on a buffer with an
//     `int*` length, writing up to SRTP_MAX_TRAILER_LEN bytes past the packet when protecting;
//   - the key is one buffer holding master key and salt, sized by the policy's cipher_key_len.
// mediasoup 3.11/3.12 ran on libsrtp2 2.5 the same way; this file was written for Livedesk from the
// libsrtp2 API (srtp2/srtp.h). Copied over src/RTC/SrtpSession.cpp by media/build-worker.mjs.
#define MS_CLASS "RTC::SrtpSession"

#include "RTC/SrtpSession.hpp"
#include "DepLibSRTP.hpp"
#include "Logger.hpp"
#include "MediaSoupErrors.hpp"
#include <cstring> // std::memcpy
#include <limits>

namespace RTC
{
	// srtp_protect() works in place and the caller's packet must stay untouched (it may be sent to
	// other consumers), so outgoing packets are copied here first. One buffer per thread, as
	// upstream: a worker is single-threaded, and the encrypted bytes are sent before the next call.
	static constexpr size_t EncryptBufferSize{ 65536 };
	alignas(4) static thread_local uint8_t EncryptBuffer[EncryptBufferSize];

	void SrtpSession::ClassInit()
	{
		MS_TRACE();

		const srtp_err_status_t err =
		  srtp_install_event_handler(static_cast<srtp_event_handler_func_t*>(OnSrtpEvent));

		if (DepLibSRTP::IsError(err))
		{
			MS_THROW_ERROR(
			  "srtp_install_event_handler() failed: %s", DepLibSRTP::GetErrorString(err).c_str());
		}
	}

	FBS::SrtpParameters::SrtpCryptoSuite SrtpSession::CryptoSuiteToFbs(CryptoSuite cryptoSuite)
	{
		MS_TRACE();

		switch (cryptoSuite)
		{
			case CryptoSuite::AEAD_AES_256_GCM:
				return FBS::SrtpParameters::SrtpCryptoSuite::AEAD_AES_256_GCM;
			case CryptoSuite::AEAD_AES_128_GCM:
				return FBS::SrtpParameters::SrtpCryptoSuite::AEAD_AES_128_GCM;
			case CryptoSuite::AES_CM_128_HMAC_SHA1_80:
				return FBS::SrtpParameters::SrtpCryptoSuite::AES_CM_128_HMAC_SHA1_80;
			case CryptoSuite::AES_CM_128_HMAC_SHA1_32:
				return FBS::SrtpParameters::SrtpCryptoSuite::AES_CM_128_HMAC_SHA1_32;
				NO_DEFAULT_GCC();
		}
	}

	SrtpSession::CryptoSuite SrtpSession::CryptoSuiteFromFbs(FBS::SrtpParameters::SrtpCryptoSuite cryptoSuite)
	{
		MS_TRACE();

		switch (cryptoSuite)
		{
			case FBS::SrtpParameters::SrtpCryptoSuite::AEAD_AES_256_GCM:
				return CryptoSuite::AEAD_AES_256_GCM;
			case FBS::SrtpParameters::SrtpCryptoSuite::AEAD_AES_128_GCM:
				return CryptoSuite::AEAD_AES_128_GCM;
			case FBS::SrtpParameters::SrtpCryptoSuite::AES_CM_128_HMAC_SHA1_80:
				return CryptoSuite::AES_CM_128_HMAC_SHA1_80;
			case FBS::SrtpParameters::SrtpCryptoSuite::AES_CM_128_HMAC_SHA1_32:
				return CryptoSuite::AES_CM_128_HMAC_SHA1_32;
				NO_DEFAULT_GCC();
		}
	}

	void SrtpSession::OnSrtpEvent(srtp_event_data_t* data)
	{
		MS_TRACE();

		switch (data->event)
		{
			case event_ssrc_collision:
				MS_WARN_TAG(srtp, "SSRC collision occurred");
				break;
			case event_key_soft_limit:
				MS_WARN_TAG(srtp, "stream reached the soft key usage limit and will expire soon");
				break;
			case event_key_hard_limit:
				MS_WARN_TAG(srtp, "stream reached the hard key usage limit and has expired");
				break;
			case event_packet_index_limit:
				MS_WARN_TAG(srtp, "stream reached the hard packet limit (2^48 packets)");
				break;
		}
	}

	SrtpSession::SrtpSession(Type type, CryptoSuite cryptoSuite, uint8_t* key, size_t keyLen)
	{
		MS_TRACE();

		srtp_policy_t policy; // NOLINT(cppcoreguidelines-pro-type-member-init)

		// libsrtp2 reads every field, so start from all zeroes (no extension header encryption, no
		// MKI, no next policy).
		std::memset(std::addressof(policy), 0, sizeof(policy));

		switch (cryptoSuite)
		{
			case CryptoSuite::AEAD_AES_256_GCM:
				srtp_crypto_policy_set_aes_gcm_256_16_auth(std::addressof(policy.rtp));
				srtp_crypto_policy_set_aes_gcm_256_16_auth(std::addressof(policy.rtcp));
				break;
			case CryptoSuite::AEAD_AES_128_GCM:
				srtp_crypto_policy_set_aes_gcm_128_16_auth(std::addressof(policy.rtp));
				srtp_crypto_policy_set_aes_gcm_128_16_auth(std::addressof(policy.rtcp));
				break;
			case CryptoSuite::AES_CM_128_HMAC_SHA1_80:
				srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(std::addressof(policy.rtp));
				srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(std::addressof(policy.rtcp));
				break;
			case CryptoSuite::AES_CM_128_HMAC_SHA1_32:
				srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(std::addressof(policy.rtp));
				// RFC 5764 section 4.1.2: SRTCP always uses the 80-bit tag, even with the _32 profile.
				srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(std::addressof(policy.rtcp));
				break;
			default:
				MS_ABORT("unknown SRTP crypto suite");
		}

		// The key buffer is master key followed by master salt; libsrtp2 takes it whole and knows its
		// length from the crypto policy (cipher_key_len includes the salt).
		MS_ASSERT(
		  keyLen == static_cast<size_t>(policy.rtp.cipher_key_len),
		  "given keyLen does not match the crypto suite's master key + salt length");

		switch (type)
		{
			case Type::INBOUND:
				policy.ssrc.type = ssrc_any_inbound;
				break;
			case Type::OUTBOUND:
				policy.ssrc.type = ssrc_any_outbound;
				break;
		}

		policy.ssrc.value = 0;
		policy.key        = key;
		// Retransmissions without RTX resend a packet with the same sequence number.
		policy.allow_repeat_tx = 1;
		// Wider than the default 128 so that reordered packets on busy links are not dropped.
		policy.window_size = 1024;
		policy.next        = nullptr;

		const srtp_err_status_t err = srtp_create(std::addressof(this->session), std::addressof(policy));

		if (DepLibSRTP::IsError(err))
		{
			this->session = nullptr;

			MS_THROW_ERROR("srtp_create() failed: %s", DepLibSRTP::GetErrorString(err).c_str());
		}
	}

	SrtpSession::~SrtpSession()
	{
		MS_TRACE();

		if (this->session != nullptr)
		{
			const srtp_err_status_t err = srtp_dealloc(this->session);

			if (DepLibSRTP::IsError(err))
			{
				// A destructor must not throw: log instead of MS_ABORT's exception.
				MS_ERROR("srtp_dealloc() failed: %s", DepLibSRTP::GetErrorString(err).c_str());
			}
		}
	}

	// Protects `*len` bytes at `*data` into EncryptBuffer and points `*data` at the result.
	// `rtcp` picks srtp_protect_rtcp().
	static bool ProtectIntoBuffer(srtp_t session, bool rtcp, const uint8_t** data, size_t* len)
	{
		// The packet plus the largest trailer libsrtp2 may append must fit, and libsrtp2 takes an int.
		if (
		  *len + SRTP_MAX_TRAILER_LEN > EncryptBufferSize ||
		  *len > static_cast<size_t>(std::numeric_limits<int>::max()))
		{
			MS_WARN_TAG(
			  srtp, "cannot encrypt %s packet, size too big (%zu bytes)", rtcp ? "RTCP" : "RTP", *len);

			return false;
		}

		std::memcpy(EncryptBuffer, *data, *len);

		int encryptLen = static_cast<int>(*len);

		const srtp_err_status_t err = rtcp
		                                ? srtp_protect_rtcp(session, EncryptBuffer, std::addressof(encryptLen))
		                                : srtp_protect(session, EncryptBuffer, std::addressof(encryptLen));

		if (DepLibSRTP::IsError(err))
		{
			MS_WARN_TAG(
			  srtp,
			  "%s() failed: %s",
			  rtcp ? "srtp_protect_rtcp" : "srtp_protect",
			  DepLibSRTP::GetErrorString(err).c_str());

			return false;
		}

		*data = EncryptBuffer;
		*len  = static_cast<size_t>(encryptLen);

		return true;
	}

	// Unprotects in place (the result is never longer than the input).
	static bool UnprotectInPlace(srtp_t session, bool rtcp, uint8_t* data, size_t* len)
	{
		if (*len > static_cast<size_t>(std::numeric_limits<int>::max()))
		{
			return false;
		}

		int decryptLen = static_cast<int>(*len);

		const srtp_err_status_t err = rtcp ? srtp_unprotect_rtcp(session, data, std::addressof(decryptLen))
		                                   : srtp_unprotect(session, data, std::addressof(decryptLen));

		if (DepLibSRTP::IsError(err))
		{
			MS_DEBUG_TAG(
			  srtp,
			  "%s() failed: %s",
			  rtcp ? "srtp_unprotect_rtcp" : "srtp_unprotect",
			  DepLibSRTP::GetErrorString(err).c_str());

			return false;
		}

		*len = static_cast<size_t>(decryptLen);

		return true;
	}

	bool SrtpSession::EncryptRtp(const uint8_t** data, size_t* len)
	{
		MS_TRACE();

		return ProtectIntoBuffer(this->session, false, data, len);
	}

	bool SrtpSession::DecryptSrtp(uint8_t* data, size_t* len)
	{
		MS_TRACE();

		return UnprotectInPlace(this->session, false, data, len);
	}

	bool SrtpSession::EncryptRtcp(const uint8_t** data, size_t* len)
	{
		MS_TRACE();

		return ProtectIntoBuffer(this->session, true, data, len);
	}

	bool SrtpSession::DecryptSrtcp(uint8_t* data, size_t* len)
	{
		MS_TRACE();

		return UnprotectInPlace(this->session, true, data, len);
	}
} // namespace RTC
