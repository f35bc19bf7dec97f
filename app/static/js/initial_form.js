/* 职称初定 base form (seed 004 ch. 2): 所属行政区划 through region_cascade.js, and 报送受理部门 from /pickers/offices
   for that region and the chosen series; when none matches, “未查到相关的受理部门” instead of an empty
   select. The server checks every rule again. */
(function ($) {
  "use strict";

  $(function () {
    var $form = $("#base-form"), $box = $("#region-cascade");
    if (!$form.length || !$box.length) { return; }
    var $hidden = $("#region_id"), $series = $("#series_id"), $office = $("#accepting_office_id"),
        $none = $("#accepting_office_id-none"), blank = $form.data("choose");

    function loadOffices() {
      var region = $hidden.val(), series = $series.val(), keep = $office.val();
      $office.find("option").remove();
      $office.append($("<option>").val("").text(blank));
      if (!region || !series) { $none.hide(); return; }
      $.getJSON($form.data("offices-url"), {region: region, series: series}).done(function (rows) {
        $.each(rows, function (_, row) { $office.append($("<option>").val(String(row.id)).text(row.name)); });
        $office.val(keep && $office.find("option[value='" + keep + "']").length ? keep : "");
        $none.toggle(rows.length === 0);
      });
    }
    window.regionCascade($, $form.data("regions-url"), loadOffices);
    $series.on("change", loadOffices);
  });
}(window.jQuery));
