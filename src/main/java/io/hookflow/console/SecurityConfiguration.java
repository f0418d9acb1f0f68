package io.hookflow.console;

import io.hookflow.HookflowProperties;
import io.hookflow.web.ErrorBody;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what. The Okta hook checks its own secret and stays outside the login; health is
 * open for load balancers; everything else (console, JSON API, metrics) needs the administrator.
 * Scripts use HTTP Basic without a session, so the API needs no CSRF token (a browser's requests
 * from other sites are refused by {@link CrossSiteRequests}); the console's forms do.
 */
// Commands such as `okta setup-hook` start without a web server, and need no login.
@ConditionalOnWebApplication
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  /** bcrypt, with the passwords that matched remembered for a while (HTTP Basic on every call). */
  @Bean
  PasswordEncoder passwordEncoder(Clock clock) {
    return new RememberedPasswords(
        PasswordEncoderFactories.createDelegatingPasswordEncoder(), clock);
  }

  @Bean
  UserDetailsService administrator(
      ConsoleProperties console, HookflowProperties properties, PasswordEncoder encoder) {
    return ConsoleCredentials.administrator(console, properties, encoder);
  }

  /**
   * Scripts' way in: HTTP Basic, no session. {@code /hooks/okta} itself is served before this chain
   * (it checks its own secret); other {@code /hooks/} paths are open, to get their 404. (One chain
   * for all of these: Spring Security looks through every bean for customizers per chain, a
   * noticeable part of the start-up.)
   */
  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http, JsonMapper json) throws Exception {
    return stateless(http.securityMatcher("/api/**", "/actuator/**", "/hooks/**"))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/actuator/health", "/actuator/health/**", "/hooks/**")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized(json)))
        .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized(json)))
        .addFilterBefore(new CrossSiteRequests(json), BasicAuthenticationFilter.class)
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain console(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/login", "/console.css", "/favicon.ico", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(
            form ->
                form.loginPage("/login")
                    .defaultSuccessUrl("/", false)
                    .failureHandler(signInFailed()))
        .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
        // Nothing is kept on the server for a client that has not signed in: its CSRF token
        // (SessionOrCookieCsrfTokens) and the page to return to after signing in are cookies.
        .csrf(csrf -> csrf.csrfTokenRepository(new SessionOrCookieCsrfTokens()))
        .requestCache(cache -> cache.requestCache(new CookieRequestCache()))
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(PAGES_POLICY))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
        .build();
  }

  /**
   * What a console page may load and run. The pages show event data from Okta and the HTML of the
   * emails (in a sandboxed frame, which inherits this policy); they have no script of their own, so
   * none runs, whatever an escaping mistake might let through. Styles inline and images over https
   * stay allowed for the emails' HTML.
   */
  static final String PAGES_POLICY =
      "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:";

  private static HttpSecurity stateless(HttpSecurity http) throws Exception {
    return http.csrf(csrf -> csrf.disable())
        .sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
  }

  /** Back to the sign-in page, saying whether the password was wrong or went unchecked. */
  private static AuthenticationFailureHandler signInFailed() {
    SimpleUrlAuthenticationFailureHandler wrong =
        new SimpleUrlAuthenticationFailureHandler("/login?error");
    SimpleUrlAuthenticationFailureHandler busy =
        new SimpleUrlAuthenticationFailureHandler("/login?busy");
    // The page says what happened from its address: a session to keep the failure in is not needed.
    wrong.setAllowSessionCreation(false);
    busy.setAllowSessionCreation(false);
    return (request, response, e) ->
        (TooManySignIns.in(e) ? busy : wrong).onAuthenticationFailure(request, response, e);
  }

  /**
   * A 401 in the API's JSON error shape, with the Basic challenge scripts expect; a 429 when the
   * password went unchecked ({@link TooManySignIns}).
   */
  private static AuthenticationEntryPoint unauthorized(JsonMapper json) {
    return (request, response, e) -> {
      if (TooManySignIns.in(e)) {
        response.setHeader("Retry-After", "1");
        ErrorBody.write(json, response, HttpStatus.TOO_MANY_REQUESTS, TooManySignIns.MESSAGE);
        return;
      }
      response.setHeader("WWW-Authenticate", "Basic realm=\"hookflow\"");
      ErrorBody.write(
          json,
          response,
          HttpStatus.UNAUTHORIZED,
          "sign in with HTTP Basic and the console's user and password");
    };
  }
}
