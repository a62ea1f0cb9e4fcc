import Hummingbird
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardDesk
import SwitchboardRouting
import SwitchboardTwilioREST
import SwitchboardVoice
import SwitchboardWebhooks

/// Builds the Switchboard HTTP application on `store`: the Twilio voice routes and monitoring.
/// `onListening` gets the port once the server listens (the one the system chose for port 0).
///
/// - Precondition: `configuration.authTokens` is not empty and has no empty token (the entry point
///   refuses such configuration first).
public func buildApplication<Store: CallStore>(
    configuration: AppConfiguration,
    store: Store,
    metrics: ServiceMetrics = ServiceMetrics(),
    drain: ShutdownDrain? = nil,
    logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let (router, queues) = voiceRouter(configuration: configuration, store: store, metrics: metrics, drain: drain, logger: logger)
    return application(FallbackRouter(router: router), queues: queues, configuration: configuration, logger: logger, onListening: onListening)
}

/// Builds the application with the agents' API (`/api/…` and its Twilio routes) as well, on a store
/// that supports it. `redirector` moves live calls through Twilio's REST API (parking, voicemail
/// after every agent declined); without it those answer 503 `twilio_not_configured`.
public func buildApplication<Store: DeskStore>(
    configuration: AppConfiguration,
    store: Store,
    desk: DeskConfiguration,
    redirector: (any TwilioCallControl)?,
    metrics: ServiceMetrics = ServiceMetrics(),
    drain: ShutdownDrain? = nil,
    logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let (router, queues) = deskRouter(
        configuration: configuration,
        store: store,
        desk: desk,
        redirector: redirector,
        metrics: metrics,
        drain: drain,
        logger: logger
    )
    return application(FallbackRouter(router: router), queues: queues, configuration: configuration, logger: logger, onListening: onListening)
}

/// The server around `router`: the configured address, the server's name, `onListening`, and the
/// retry queues' stop at shutdown.
private func application<Builder: HTTPResponderBuilder>(
    _ router: Builder,
    queues: RetryQueues,
    configuration: AppConfiguration,
    logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void
) -> some ApplicationProtocol where Builder.Responder.Context == BasicRequestContext {
    Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    RequestDeadlineHandler(limit: TimeAmount(configuration.requestTimeout)),
                    ExpectContinueHandler(bodyLimit: configuration.bodyLimit),
                ],
                idleTimeout: TimeAmount(configuration.idleTimeout)
            )
        ),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Switchboard"),
        services: [OutboxShutdown(queues: queues)],
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// The router with every route; exposed so tests can drive it in process.
public func buildRouter<Store: CallStore>(
    configuration: AppConfiguration,
    store: Store,
    metrics: ServiceMetrics,
    logger: Logger
) -> Router<BasicRequestContext> {
    voiceRouter(configuration: configuration, store: store, metrics: metrics, drain: nil, logger: logger).router
}

/// The voice routes and monitoring, and the voice service's retry queues.
private func voiceRouter<Store: CallStore>(
    configuration: AppConfiguration,
    store: Store,
    metrics: ServiceMetrics,
    drain: ShutdownDrain?,
    logger: Logger
) -> (router: Router<BasicRequestContext>, queues: RetryQueues) {
    let router = Router(context: BasicRequestContext.self)
    let queues = addVoiceRoutes(
        to: router,
        configuration: configuration,
        store: store,
        metrics: metrics,
        drain: drain,
        logger: logger,
        afterClientStatus: nil
    )
    return (router, queues)
}

/// The router with the voice routes, monitoring and the agents' API; exposed so tests can drive it
/// in process. The application wraps it in ``FallbackRouter``, which answers requests without a route
/// with a body (`/api/…` ones in the API's JSON).
public func buildRouter<Store: DeskStore>(
    configuration: AppConfiguration,
    store: Store,
    desk: DeskConfiguration,
    redirector: (any TwilioCallControl)?,
    metrics: ServiceMetrics,
    logger: Logger
) -> Router<BasicRequestContext> {
    deskRouter(configuration: configuration, store: store, desk: desk, redirector: redirector, metrics: metrics, drain: nil, logger: logger)
        .router
}

/// Every route, and the voice service's retry queues.
private func deskRouter<Store: DeskStore>(
    configuration: AppConfiguration,
    store: Store,
    desk: DeskConfiguration,
    redirector: (any TwilioCallControl)?,
    metrics: ServiceMetrics,
    drain: ShutdownDrain?,
    logger: Logger
) -> (router: Router<BasicRequestContext>, queues: RetryQueues) {
    let router = Router(context: BasicRequestContext.self)
    let budget = StoreBudget(duration: configuration.storeBudget)
    let policy = MissedRingsPolicy(store: store, threshold: desk.missedRingsBeforeAway, budget: budget, logger: logger)
    let queues = addVoiceRoutes(to: router, configuration: configuration, store: store, metrics: metrics, drain: drain, logger: logger) {
        form,
        reply in
        await policy.apply(form: form, reply: reply)
    }
    let services = DeskServices(
        store: store,
        authenticator: DeskAuthenticator(configuration: desk.token),
        configuration: desk,
        routing: configuration.routing,
        redirector: redirector,
        logger: logger
    )
    CallsAPIController(services: services).addRoutes(to: router)
    EventsAPIController(services: services).addRoutes(to: router)
    ParkingAPIController(services: services).addRoutes(to: router)
    AgentsAPIController(services: services).addRoutes(to: router)
    HandoffsAPIController(services: services).addRoutes(to: router)
    VoicemailsAPIController(services: services).addRoutes(to: router)
    DeskTwilioController(services: services, gate: twilioGate(configuration), budget: budget, metrics: metrics, callEnds: queues.callEnds)
        .addRoutes(to: router)
    return (router, queues)
}

private func twilioGate(_ configuration: AppConfiguration) -> TwilioGate {
    TwilioGate(
        validator: SignatureValidator(tokens: configuration.authTokens),
        publicURL: RequestURL(base: configuration.routing.publicURL),
        bodyLimit: configuration.bodyLimit
    )
}

private func addVoiceRoutes<Store: CallStore>(
    to router: Router<BasicRequestContext>,
    configuration: AppConfiguration,
    store: Store,
    metrics: ServiceMetrics,
    drain: ShutdownDrain?,
    logger: Logger,
    afterClientStatus: (@Sendable (FormParameters, VoiceReply) async -> Void)?
) -> RetryQueues {
    let service = VoiceService(
        store: store,
        configuration: configuration.routing,
        storeBudget: configuration.storeBudget,
        spool: configuration.voicemailSpool.map(VoicemailSpool.init(directory:)),
        logger: logger
    )
    VoiceController(service: service, gate: twilioGate(configuration), metrics: metrics, afterClientStatus: afterClientStatus)
        .addRoutes(to: router)
    let queues = RetryQueues(
        voicemails: service.outbox,
        ringingCalls: service.ringingCalls,
        ringEvents: service.ringEvents,
        callEnds: service.callEnds,
        claims: service.claims
    )
    HealthController(store: store, budget: configuration.storeBudget, metrics: metrics, queues: queues, drain: drain).addRoutes(to: router)
    return queues
}
