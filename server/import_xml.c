/*
 * import_xml.c — Moodle XML (placeholder until the expat reader lands).
 */
#include "import_int.h"

void import_xml_read(struct imp *imp, const char *text, size_t len)
{
    (void)text;
    (void)len;
    imp_error(imp, 0, NULL, "chưa hỗ trợ Moodle XML",
              "Moodle XML is not supported yet");
}
