import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { formatAmount } from "../../web/checkout/src/i18n/index.ts";
import { ApiError } from "../core/errors.ts";
import { createAuthenticator } from "../http/auth.ts";
import type { CheckoutAssets } from "./assets.ts";
import { helpPageBody } from "./help/page.ts";
import { CATALOGS, translate } from "./messages.ts";
import { checkoutPageHtml, escapeHtml, simplePageHtml } from "./page-html.ts";
import { checkoutPageHeaders, newNonce, normalizeOrigin, staticAssetHeaders } from "./security-headers.ts";
import { embedOriginsOf } from "./settings.ts";
import { buildView, type PageApiDeps, pickLocale } from "./view.ts";
import { CHECKOUT_LOCALES, type CheckoutLocale, type CheckoutView } from "./view-types.ts";

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

function summaryHtml(view: CheckoutView): string {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string>) =>
    escapeHtml(translate(view.locale, key, vars));
  const total = escapeHtml(formatAmount(view.intent.amount, view.intent.currency, view.locale));
  const items = (view.session?.line_items ?? [])
    .map(
      (item) =>
        `<li><span>${escapeHtml(item.name)} · ${t("page.quantity", { quantity: String(item.quantity) })}</span><span>${escapeHtml(formatAmount(item.amount, view.intent.currency, view.locale))}</span></li>`,
    )
    .join("");
  return `<header class="pr-summary"><p class="pr-merchant">${escapeHtml(view.merchant.name)}</p>${
    items ? `<ul class="pr-items">${items}</ul>` : ""
  }<p class="pr-total"><span>${t("page.total")}</span><strong>${total}</strong></p></header><p class="pr-loading" role="status">${t("a11y.loading")}…</p>`;
}

export interface CheckoutPageDeps extends PageApiDeps {
  assets: CheckoutAssets;
}

/** The hosted page, the embedded form, static assets, the SDK and the help pages. */
export function checkoutPageRoutes(deps: CheckoutPageDeps) {
  const { ctx, assets } = deps;
  const authenticator = createAuthenticator(ctx);
  const tls = () => ctx.publicUrl().startsWith("https:");
  const loopback = () => /^http:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(ctx.publicUrl());

  const sendPage = (reply: FastifyReply, status: number, html: string, headers: Record<string, string>) =>
    reply.code(status).headers(headers).type("text/html; charset=utf-8").send(html);

  const errorPage = (reply: FastifyReply, status: number, locale: CheckoutLocale, message: string) => {
    const nonce = newNonce(ctx.random);
    return sendPage(
      reply,
      status,
      simplePageHtml({
        nonce,
        assets,
        locale,
        title: message,
        body: `<h1>${escapeHtml(message)}</h1><p><a href="/help/${locale}">${escapeHtml(translate(locale, "page.help"))}</a></p>`,
      }),
      checkoutPageHeaders({ nonce, frameAncestors: [], loopbackFrames: false, tls: tls() }),
    );
  };

  return (app: FastifyInstance) => {
    app.get<{ Params: { session: string }; Querystring: { locale?: string } }>(
      "/pay/:session",
      { schema: { hide: true } },
      async (request, reply) => {
        const requested = request.query.locale;
        const id = request.params.session;
        const session = /^cs_[0-9A-Za-z]+$/.test(id)
          ? await deps.ctx.db
              .selectFrom("checkout_sessions")
              .selectAll()
              .where("id", "=", id)
              .executeTakeFirst()
          : undefined;
        const fallbackLocale = pickLocale(requested, header(request, "accept-language"));
        if (!session)
          return errorPage(reply, 404, fallbackLocale, translate(fallbackLocale, "outcome.session_expired"));
        const intent = await ctx.db
          .selectFrom("payment_intents")
          .selectAll()
          .where("id", "=", session.payment_intent_id)
          .where("merchant_id", "=", session.merchant_id)
          .executeTakeFirstOrThrow();
        const view = await buildView(deps, intent, session, {
          userAgent: header(request, "user-agent"),
          acceptLanguage: header(request, "accept-language"),
          countryHeader: header(request, "cf-ipcountry"),
          requestedLocale: requested,
        });
        const nonce = newNonce(ctx.random);
        const html = checkoutPageHtml({
          nonce,
          assets,
          locale: view.locale,
          title: translate(view.locale, "page.title", { merchant: view.merchant.name }),
          summaryHtml: summaryHtml(view),
          bootstrap: {
            mode: "hosted",
            intentId: intent.id,
            clientSecret: intent.client_secret,
            locale: view.locale,
            messages: CATALOGS[view.locale],
            view,
          },
        });
        return sendPage(
          reply,
          200,
          html,
          checkoutPageHeaders({
            nonce,
            frameAncestors: ["'self'"],
            loopbackFrames: !intent.livemode && loopback(),
            tls: tls(),
          }),
        );
      },
    );

    app.get<{ Params: { intent: string }; Querystring: { key?: string; parent?: string; locale?: string } }>(
      "/pay/embed/:intent",
      { schema: { hide: true } },
      async (request, reply) => {
        const locale = pickLocale(request.query.locale, header(request, "accept-language"));
        const refuse = (message: string) => {
          request.log.warn({ intent: request.params.intent, reason: message }, "embedded checkout refused");
          return errorPage(reply, 403, locale, message);
        };
        const key = request.query.key ?? "";
        if (!key.startsWith("pk_")) return refuse("The embedded form needs the shop's publishable key.");
        const auth = await authenticator.authenticate(`Bearer ${key}`).catch(() => undefined);
        if (!auth) return refuse("The shop's publishable key is not valid.");
        const intent = await ctx.db
          .selectFrom("payment_intents")
          .select(["id", "livemode"])
          .where("id", "=", request.params.intent)
          .where("merchant_id", "=", auth.merchantId)
          .executeTakeFirst();
        if (!intent || intent.livemode !== auth.livemode)
          return refuse("This payment does not belong to this shop.");
        const parent = normalizeOrigin(request.query.parent ?? "");
        const allowed = await embedOriginsOf(ctx.db, auth.merchantId);
        if (!parent || !allowed.includes(parent))
          return refuse("This website is not registered to embed the shop's payment form.");
        const nonce = newNonce(ctx.random);
        const html = checkoutPageHtml({
          nonce,
          assets,
          locale,
          title: translate(locale, "threeds.title"),
          summaryHtml: `<p class="pr-loading" role="status">${escapeHtml(translate(locale, "a11y.loading"))}…</p>`,
          bootstrap: {
            mode: "embed",
            intentId: intent.id,
            parentOrigin: parent,
            locale,
            messages: CATALOGS[locale],
          },
        });
        return sendPage(
          reply,
          200,
          html,
          checkoutPageHeaders({
            nonce,
            frameAncestors: [parent],
            loopbackFrames: !intent.livemode && loopback(),
            tls: tls(),
          }),
        );
      },
    );

    app.get<{ Params: { locale: string } }>(
      "/pay/i18n/:locale",
      { schema: { hide: true } },
      async (request, reply) => {
        const locale = request.params.locale.replace(/\.json$/, "");
        if (!(CHECKOUT_LOCALES as readonly string[]).includes(locale))
          throw new ApiError(404, {
            type: "invalid_request_error",
            code: "resource_missing",
            message: "No such language.",
          });
        return reply
          .headers({ "cache-control": "public, max-age=300" })
          .type("application/json; charset=utf-8")
          .send(JSON.stringify(CATALOGS[locale as CheckoutLocale]));
      },
    );

    const serveAsset = async (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split("?")[0] as string;
      const found = assets.byPath.get(path);
      if (!found)
        throw new ApiError(404, {
          type: "invalid_request_error",
          code: "resource_missing",
          message: "No such file.",
        });
      return reply
        .headers(staticAssetHeaders(found.immutable, tls()))
        .type(found.contentType)
        .send(found.body);
    };
    app.get("/checkout/*", { schema: { hide: true } }, serveAsset);
    app.get("/sdk/v1/*", { schema: { hide: true } }, serveAsset);

    const help = async (request: FastifyRequest<{ Params: { locale?: string } }>, reply: FastifyReply) => {
      const requested = request.params.locale;
      if (requested && !(CHECKOUT_LOCALES as readonly string[]).includes(requested))
        return reply.redirect(`/help/${pickLocale(undefined, header(request, "accept-language"))}`, 302);
      const locale = pickLocale(requested, header(request, "accept-language"));
      const nonce = newNonce(ctx.random);
      const page = helpPageBody(locale);
      return sendPage(
        reply,
        200,
        simplePageHtml({ nonce, assets, locale, title: page.title, body: page.html }),
        checkoutPageHeaders({ nonce, frameAncestors: [], loopbackFrames: false, tls: tls() }),
      );
    };
    app.get("/help", { schema: { hide: true } }, help);
    app.get("/help/:locale", { schema: { hide: true } }, help);
  };
}
