package io.dpuvpc.app.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Every log event of this JVM while open, as the lines an operator's log would hold (message and
 * stack trace): the root's (WARN and up in the tests' configuration), and everything from DEBUG up
 * of the loggers named at start. Those loggers write only here meanwhile, so their debug output
 * does not flood the test's; {@link #close} puts them back as they were.
 */
final class CapturedLogs implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Map<Logger, Level> levels = new HashMap<>();

  private CapturedLogs(List<String> debugLoggers) {
    appender.setContext(context);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    for (String name : debugLoggers) {
      Logger logger = context.getLogger(name);
      levels.put(logger, logger.getLevel());
      logger.setLevel(Level.DEBUG);
      logger.setAdditive(false);
      logger.addAppender(appender);
    }
  }

  static CapturedLogs start(String... debugLoggers) {
    return new CapturedLogs(List.of(debugLoggers));
  }

  /** What was logged so far, one string per event: logger, level, message and stack trace. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(appender.list)) {
      String trace = event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
      lines.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage() + trace);
    }
    return lines;
  }

  @Override
  public void close() {
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    levels.forEach((logger, level) -> {
      logger.detachAppender(appender);
      logger.setLevel(level);
      logger.setAdditive(true);
    });
    appender.stop();
  }
}
