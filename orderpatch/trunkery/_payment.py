"""How a Trunkery (Lana Commerce) order was paid: ``PaymentDetail`` and the per-method details."""

from __future__ import annotations

import attrs

from .._models import ResponseModel
from ._enums import PaymentDetailCardCompany, PaymentDetailCardFunding, PaymentDetailType
from ._refs import InfoCountry, InfoProvince, Ref

__all__ = [
    "IPAndUAInfo", "PaymentDetail", "PaymentDetailBancontact", "PaymentDetailCard", "PaymentDetailClient",
    "PaymentDetailEps", "PaymentDetailGiropay", "PaymentDetailIdeal", "PaymentDetailMasterpass",
    "PaymentDetailMultibanco", "PaymentDetailP24", "PaymentDetailSofort", "PaymentDetailVisaCheckout"
]


@attrs.frozen(kw_only=True)
class PaymentDetail(ResponseModel):
    """How the order was paid; the member named by ``type`` holds the method details."""

    bancontact: PaymentDetailBancontact | None
    card: PaymentDetailCard | None
    client: PaymentDetailClient
    eps: PaymentDetailEps | None
    #: A number of failed payment attempts
    failed_attempts: int
    giropay: PaymentDetailGiropay | None
    ideal: PaymentDetailIdeal | None
    masterpass: PaymentDetailMasterpass | None
    multibanco: PaymentDetailMultibanco | None
    p24: PaymentDetailP24 | None
    #: Stripe's payment method id (if any)
    payment_method_id: str | None
    sofort: PaymentDetailSofort | None
    #: Type of the payment detail
    type: PaymentDetailType
    visa_checkout: PaymentDetailVisaCheckout | None


@attrs.frozen(kw_only=True)
class PaymentDetailCard(ResponseModel):
    """A payment card as Stripe reports it (never the number: ``last4`` and ``bin``)."""

    #: Address line1 check from stripe
    address_line1_check: str
    #: Address postal code check from stripe
    address_postal_code_check: str
    #: The response code from AVS
    avs_result_code: str
    #: The issuer identification number (IIN), formerly known as bank identification number (BIN)
    bin: str
    #: The name of the company who issued the customer's credit card
    company: PaymentDetailCardCompany
    #: Credit card's country
    country: Ref | InfoCountry | None = None
    #: CVC check from stripe
    cvc_check: str
    #: The response code from the credit card company indicating whether the customer entered the card verification
    #: value, correctly
    cvv_result_code: str
    #: Credit card's expiration month
    exp_month: int
    #: Credit card's expiration year
    exp_year: int
    #: Card fingerprint from stripe
    fingerprint: str
    #: The type of card from stripe
    funding: PaymentDetailCardFunding
    #: The customer's credit card last 4 digits
    last4: str


@attrs.frozen(kw_only=True)
class PaymentDetailClient(ResponseModel):
    """The buyer's browser at the moment of payment."""

    #: Browser's accept language at the moment of payment
    accept_language: str
    #: Browser IP at the moment of payment
    browser_ip: str
    #: Resolved info based on IP and UserAgent
    ip_and_ua: IPAndUAInfo | None
    #: Client's session identifier
    session_id: str
    #: Browser's user agent at the moment of payment
    user_agent: str


@attrs.frozen(kw_only=True)
class IPAndUAInfo(ResponseModel):
    """What the buyer's IP address and user agent resolved to."""

    br_family: str
    br_version: str
    country: InfoCountry | None
    dvce_brand: str
    dvce_family: str
    dvce_model: str
    geo_accuracy_radius: int
    geo_city: str
    geo_continent: str
    geo_continent_name: str
    geo_country: str
    geo_country_name: str
    geo_latitude: float
    geo_longitude: float
    geo_metro_code: int
    geo_region: str
    geo_region_name: str
    geo_timezone: str
    geo_zipcode: str
    ip_domain: str
    ip_isanonymousproxy: bool
    ip_isp: str
    ip_issatelliteprovider: bool
    ip_netspeed: str
    ip_organization: str
    os_family: str
    os_version: str
    province: InfoProvince | None


@attrs.frozen(kw_only=True)
class PaymentDetailBancontact(ResponseModel):
    """A Bancontact payment."""

    bank_code: str
    bank_name: str
    bic: str
    iban_last4: str
    preferred_language: str
    verified_name: str


@attrs.frozen(kw_only=True)
class PaymentDetailEps(ResponseModel):
    """An EPS payment."""

    verified_name: str


@attrs.frozen(kw_only=True)
class PaymentDetailGiropay(ResponseModel):
    """A giropay payment."""

    bank_code: str
    bank_name: str
    bic: str
    verified_name: str


@attrs.frozen(kw_only=True)
class PaymentDetailIdeal(ResponseModel):
    """An iDEAL payment."""

    bank: str
    bic: str
    iban_last4: str
    verified_name: str


@attrs.frozen(kw_only=True)
class PaymentDetailMultibanco(ResponseModel):
    """A Multibanco payment."""

    entity: str
    reference: str


@attrs.frozen(kw_only=True)
class PaymentDetailP24(ResponseModel):
    """A Przelewy24 payment."""

    reference: str
    verified_name: str


@attrs.frozen(kw_only=True)
class PaymentDetailSofort(ResponseModel):
    """A Sofort payment."""

    bank_code: str
    bank_name: str
    bic: str
    country: str
    iban_last4: str
    verified_name: str



@attrs.frozen(kw_only=True)
class _WalletPayer(ResponseModel):
    """The payer a wallet reported."""

    email: str
    name: str


@attrs.frozen(kw_only=True)
class PaymentDetailMasterpass(_WalletPayer):
    """A Masterpass payment."""


@attrs.frozen(kw_only=True)
class PaymentDetailVisaCheckout(_WalletPayer):
    """A Visa Checkout payment."""
